package dev.modeldepot.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Redact;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Profile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a bundle holds: its blobs (each content once, named by the first file path that uses it)
 * and the registry entries of its models, so the receiving machine needs no registry of its own.
 * The registry part is validated like any registry on import: a bundle is outside input.
 */
record BundleManifest(int bundleVersion, String created, String createdBy, List<Blob> blobs, JsonNode registry) {
    static final int VERSION = 1;
    static final String FILE = "model-depot-bundle.json";
    static final String SUMS = "SHA256SUMS";

    record Blob(String name, String sha256, long size) {}

    BundleManifest {
        blobs = List.copyOf(blobs);
    }

    static BundleManifest of(List<VariantRef> refs, List<Profile> profiles, String created, String createdBy) {
        Map<String, Blob> bySha = new LinkedHashMap<>();
        for (VariantRef ref : refs) {
            for (ModelFile f : ref.variant().files()) {
                if (f.sha256() == null) {
                    throw DepotException.badInput(ref.key() + "/" + f.path() + " has no sha256 in the registry; a bundle carries only files it can verify");
                }
                bySha.putIfAbsent(f.sha256(), new Blob("models/" + ref.model().id() + "/" + ref.variant().id() + "/" + f.path(), f.sha256(), f.size()));
            }
        }
        return new BundleManifest(VERSION, created, createdBy, new ArrayList<>(bySha.values()),
                Json.MAPPER.valueToTree(registryDocument(refs, profiles)));
    }

    /** Reads and checks a manifest's text; unknown versions and bad registries are bad input. */
    static BundleManifest parse(String text, String where) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw Tar.bad(where + " is not valid JSON");
        }
        if (root == null || !root.isObject() || !root.path("bundleVersion").canConvertToInt()) {
            throw Tar.bad(where + " has no bundleVersion");
        }
        int version = root.get("bundleVersion").asInt();
        if (version != VERSION) {
            throw DepotException.badInput("unknown bundle version " + version + " in " + where + " (this Model Depot reads version " + VERSION + "; update it)");
        }
        List<Blob> blobs = new ArrayList<>();
        for (JsonNode b : root.path("blobs")) {
            String name = BundleNames.check(b.path("name").asText(""), where);
            String sha = b.path("sha256").asText("");
            if (!sha.matches("[0-9a-f]{64}") || !b.path("size").canConvertToLong() || b.path("size").asLong() < 0) {
                throw Tar.bad(where + " lists " + name + " without a valid sha256 and size");
            }
            blobs.add(new Blob(name, sha, b.get("size").asLong()));
        }
        if (!root.path("registry").isObject()) {
            throw Tar.bad(where + " has no registry entries");
        }
        return new BundleManifest(version, root.path("created").asText(null), root.path("createdBy").asText(null), blobs, root.get("registry"));
    }

    /** The registry entries the bundle carries; every file must have its blob in the bundle. */
    Registry registry(String where) {
        Registry registry = RegistryLoader.parse(Json.line(this.registry), where);
        for (Model m : registry.models()) {
            for (Variant v : m.variants()) {
                for (ModelFile f : v.files()) {
                    Blob b = blob(f.sha256());
                    if (b == null || b.size() != f.size()) {
                        throw Tar.bad(where + ": " + m.id() + ":" + v.id() + "/" + f.path() + " has no blob of its size and sha256 in the bundle");
                    }
                }
            }
        }
        return registry;
    }

    Blob blob(String sha256) {
        return blobs.stream().filter(b -> b.sha256().equals(sha256)).findFirst().orElse(null);
    }

    long totalBytes() {
        return blobs.stream().mapToLong(Blob::size).sum();
    }

    /** coreutils' format: "HEX  NAME", one line per blob. */
    String sums() {
        StringBuilder sb = new StringBuilder();
        for (Blob b : blobs) {
            sb.append(b.sha256()).append("  ").append(b.name()).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Object> registryDocument(List<VariantRef> refs, List<Profile> profiles) {
        Map<String, Map<String, Object>> models = new LinkedHashMap<>();
        for (VariantRef ref : refs) {
            Model m = ref.model();
            Map<String, Object> model = models.computeIfAbsent(m.id(), id -> {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("id", m.id());
                doc.put("name", m.name());
                putIfSet(doc, "version", m.version());
                putIfSet(doc, "description", m.description());
                putIfSet(doc, "license", m.license());
                putIfSet(doc, "homepage", m.homepage());
                doc.put("tags", m.tags());
                doc.put("variants", new ArrayList<Map<String, Object>>());
                return doc;
            });
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> variants = (List<Map<String, Object>>) model.get("variants");
            variants.add(variantDocument(ref.variant(), ref.variant().isDefault()));
        }
        Map<String, Object> profileDocs = new LinkedHashMap<>();
        for (Profile p : profiles) {
            Map<String, Object> doc = new LinkedHashMap<>();
            putIfSet(doc, "description", p.description());
            doc.put("models", p.models());
            profileDocs.put(p.name(), doc);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 1);
        doc.put("models", new ArrayList<>(models.values()));
        if (!profileDocs.isEmpty()) {
            doc.put("profiles", profileDocs);
        }
        return doc;
    }

    private static Map<String, Object> variantDocument(Variant v, boolean isDefault) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", v.id());
        if (isDefault) {
            doc.put("default", true);
        }
        putIfSet(doc, "description", v.description());
        List<Map<String, Object>> files = new ArrayList<>();
        for (ModelFile f : v.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path());
            file.put("url", Redact.url(f.url()));
            if (!f.mirrors().isEmpty()) {
                file.put("mirrors", f.mirrors().stream().map(Redact::url).toList());
            }
            file.put("size", f.size());
            file.put("sha256", f.sha256());
            putIfSet(file, "format", f.format());
            putIfSet(file, "role", f.role());
            files.add(file);
        }
        doc.put("files", files);
        return doc;
    }

    private static void putIfSet(Map<String, Object> doc, String key, Object value) {
        if (value != null) {
            doc.put(key, value);
        }
    }
}
