package dev.modeldepot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks registry JSON, collecting every problem with its JSON location, and builds the records.
 * The rules mirror registry/model-registry.schema.json.
 */
final class RegistryValidator {
    static final int SCHEMA_VERSION = 1;
    /** No single model file is larger than this; bigger means a typo (or bits instead of bytes). */
    static final long MAX_FILE_SIZE = 1L << 40;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> ROOT_FIELDS = Set.of("$schema", "schemaVersion", "models", "profiles");
    private static final Set<String> MODEL_FIELDS = Set.of("id", "name", "version", "description", "license", "homepage", "tags", "variants");
    private static final Set<String> VARIANT_FIELDS = Set.of("id", "default", "description", "hardware", "files", "source");
    private static final Set<String> SOURCE_FIELDS = Set.of("hf", "oci", "revision", "include", "exclude");
    private static final Set<String> HARDWARE_FIELDS = Set.of("minRamGb", "minVramGb", "gpuRequired");
    private static final Set<String> FILE_FIELDS = Set.of("path", "url", "mirrors", "size", "sha256", "md5", "format", "role");
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Set<String> PROFILE_FIELDS = Set.of("description", "models");
    static final Set<String> FORMATS = Set.of("gguf", "safetensors", "onnx", "pt", "bin", "ckpt", "json", "txt", "model", "zip", "other");
    static final Set<String> ROLES = Set.of("weights", "mmproj", "tokenizer", "config", "vae", "text-encoder", "unet",
            "controlnet", "scheduler", "labels", "other");

    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    Registry validate(JsonNode root, String label) {
        if (!root.isObject()) {
            problem("", "the registry must be a JSON object");
            return null;
        }
        unknownFields(root, "", ROOT_FIELDS);
        JsonNode version = root.get("schemaVersion");
        if (version == null) {
            problem("/schemaVersion", "missing (required)");
        } else if (!version.isInt() || version.asInt() != SCHEMA_VERSION) {
            problem("/schemaVersion", "must be " + SCHEMA_VERSION + ", found " + version);
        }
        List<Model> models = new ArrayList<>();
        JsonNode modelsNode = root.get("models");
        if (modelsNode == null) {
            problem("/models", "missing (required)");
        } else if (!modelsNode.isArray()) {
            problem("/models", "must be an array");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < modelsNode.size(); i++) {
                Model m = model(modelsNode.get(i), "/models/" + i);
                if (m != null) {
                    if (!ids.add(m.id())) {
                        problem("/models/" + i + "/id", "duplicate model id '" + m.id() + "'");
                    }
                    models.add(m);
                }
            }
        }
        List<Profile> profiles = profiles(root.get("profiles"), models);
        return problems.isEmpty() ? new Registry(SCHEMA_VERSION, models, profiles, label) : null;
    }

    private Model model(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, MODEL_FIELDS);
        String id = id(node, at);
        String name = requiredText(node, at, "name");
        List<String> tags = new ArrayList<>();
        JsonNode tagsNode = node.get("tags");
        if (tagsNode != null) {
            if (!tagsNode.isArray()) {
                problem(at + "/tags", "must be an array of strings");
            } else {
                tagsNode.forEach(t -> tags.add(printableText(t.asText(), at, "tags")));
            }
        }
        String homepage = optionalText(node, at, "homepage");
        if (homepage != null) {
            httpUrl(homepage, at + "/homepage");
        }
        List<Variant> variants = new ArrayList<>();
        JsonNode variantsNode = node.get("variants");
        if (variantsNode == null) {
            problem(at + "/variants", "missing (required)");
        } else if (!variantsNode.isArray() || variantsNode.isEmpty()) {
            problem(at + "/variants", "must be a non-empty array");
        } else {
            Set<String> ids = new HashSet<>();
            int defaults = 0;
            for (int i = 0; i < variantsNode.size(); i++) {
                Variant v = variant(variantsNode.get(i), at + "/variants/" + i);
                if (v != null) {
                    if (!ids.add(v.id())) {
                        problem(at + "/variants/" + i + "/id", "duplicate variant id '" + v.id() + "'");
                    }
                    defaults += v.isDefault() ? 1 : 0;
                    variants.add(v);
                }
            }
            if (defaults > 1) {
                problem(at + "/variants", "more than one variant is marked default");
            }
        }
        if (id == null || name == null || variants.isEmpty()) {
            return null;
        }
        return new Model(id, name, optionalText(node, at, "version"), optionalText(node, at, "description"),
                optionalText(node, at, "license"), homepage, tags, variants);
    }

    private Variant variant(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, VARIANT_FIELDS);
        String id = id(node, at);
        JsonNode def = node.get("default");
        if (def != null && !def.isBoolean()) {
            problem(at + "/default", "must be true or false");
        }
        Hardware hardware = hardware(node.get("hardware"), at + "/hardware");
        List<ModelFile> files = new ArrayList<>();
        JsonNode filesNode = node.get("files");
        JsonNode sourceNode = node.get("source");
        if (sourceNode != null) {
            if (filesNode != null) {
                problem(at, "has both 'files' and 'source' (give one: a source is resolved into files)");
                return null;
            }
            VariantSource source = source(sourceNode, at + "/source");
            return id == null || source == null ? null
                    : new Variant(id, def != null && def.asBoolean(), optionalText(node, at, "description"), hardware, List.of(), source);
        }
        if (filesNode == null) {
            problem(at + "/files", "missing (required unless the variant has a 'source')");
        } else if (!filesNode.isArray() || filesNode.isEmpty()) {
            problem(at + "/files", "must be a non-empty array");
        } else {
            Set<String> paths = new HashSet<>();
            for (int i = 0; i < filesNode.size(); i++) {
                ModelFile f = file(filesNode.get(i), at + "/files/" + i);
                if (f != null) {
                    if (!paths.add(f.path().toLowerCase(Locale.ROOT))) {
                        problem(at + "/files/" + i + "/path", "duplicate path '" + f.path() + "'");
                    }
                    files.add(f);
                }
            }
        }
        if (id == null || files.isEmpty()) {
            return null;
        }
        return new Variant(id, def != null && def.asBoolean(), optionalText(node, at, "description"), hardware, files);
    }

    /** {"hf": "org/repo", "revision": ..., "include": [...], "exclude": [...]} or {"oci": "host[:port]/name[:tag|@sha256:...]"}. */
    private VariantSource source(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, SOURCE_FIELDS);
        List<String> include = globs(node.get("include"), at + "/include");
        List<String> exclude = globs(node.get("exclude"), at + "/exclude");
        String hf = optionalText(node, at, "hf");
        String oci = optionalText(node, at, "oci");
        if ((hf == null) == (oci == null)) {
            problem(at, "must name exactly one of 'hf' (org/repo) or 'oci' (host/name:tag)");
            return null;
        }
        String revision = optionalText(node, at, "revision");
        if (hf != null) {
            if (!VariantSource.validHfRepo(hf)) {
                problem(at + "/hf", "'" + abbreviate(hf) + "' is not a Hugging Face repository id (org/name)");
                return null;
            }
            if (revision != null && (revision.isBlank() || revision.contains(".."))) {
                problem(at + "/revision", "'" + abbreviate(revision) + "' is not a branch, tag or commit");
                return null;
            }
            return new VariantSource(VariantSource.HF, hf, revision == null ? "main" : revision, include, exclude, null);
        }
        if (revision != null) {
            problem(at + "/revision", "an OCI source carries its tag or digest in 'oci' (host/name:tag or host/name@sha256:...)");
            return null;
        }
        try {
            VariantSource parsed = VariantSource.parse("oci://" + oci);
            return parsed.filtered(include, exclude);
        } catch (dev.modeldepot.core.DepotException e) {
            problem(at + "/oci", "'" + abbreviate(oci) + "' is not host[:port]/name[:tag|@sha256:digest]");
            return null;
        }
    }

    private List<String> globs(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray()) {
            problem(at, "must be an array of glob patterns");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual() || node.get(i).asText().isBlank()) {
                problem(at + "/" + i, "must be a non-empty glob pattern");
            } else {
                out.add(node.get(i).asText());
            }
        }
        return out;
    }

    private Hardware hardware(JsonNode node, String at) {
        if (node == null) {
            return Hardware.UNKNOWN;
        }
        if (!isObject(node, at)) {
            return Hardware.UNKNOWN;
        }
        unknownFields(node, at, HARDWARE_FIELDS);
        return new Hardware(positiveNumber(node, at, "minRamGb"), positiveNumber(node, at, "minVramGb"),
                node.has("gpuRequired") ? node.get("gpuRequired").asBoolean() : null);
    }

    private ModelFile file(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, FILE_FIELDS);
        String path = requiredText(node, at, "path");
        if (path != null) {
            String unsafe = PathRules.whyUnsafe(path);
            if (unsafe != null) {
                problem(at + "/path", "unsafe path '" + path + "': " + unsafe);
                path = null;
            }
        }
        String urlText = requiredText(node, at, "url");
        URI url = urlText == null ? null : httpUrl(urlText, at + "/url");
        List<URI> mirrors = new ArrayList<>();
        JsonNode mirrorsNode = node.get("mirrors");
        if (mirrorsNode != null) {
            if (!mirrorsNode.isArray()) {
                problem(at + "/mirrors", "must be an array of URLs");
            } else {
                for (int i = 0; i < mirrorsNode.size(); i++) {
                    URI m = httpUrl(mirrorsNode.get(i).asText(), at + "/mirrors/" + i);
                    if (m != null) {
                        mirrors.add(m);
                    }
                }
            }
        }
        long size = -1;
        JsonNode sizeNode = node.get("size");
        if (sizeNode == null) {
            problem(at + "/size", "missing (required)");
        } else if (!sizeNode.isIntegralNumber()) {
            problem(at + "/size", "must be a whole number of bytes, found " + sizeNode);
        } else if (sizeNode.asLong() < 0) {
            problem(at + "/size", "must not be negative, found " + sizeNode.asLong());
        } else if (!sizeNode.canConvertToLong() || sizeNode.asLong() > MAX_FILE_SIZE) {
            problem(at + "/size", "is absurd for one file (" + sizeNode + " bytes; the limit is 1 TiB)");
        } else {
            size = sizeNode.asLong();
        }
        String sha = optionalText(node, at, "sha256");
        if (sha != null && !SHA256.matcher(sha).matches()) {
            problem(at + "/sha256", "must be 64 lowercase hex digits, found '" + abbreviate(sha) + "'");
            sha = null;
        }
        String md5 = optionalText(node, at, "md5");
        if (md5 != null && !MD5.matcher(md5).matches()) {
            problem(at + "/md5", "must be 32 lowercase hex digits, found '" + abbreviate(md5) + "'");
            md5 = null;
        }
        String format = optionalText(node, at, "format");
        if (format != null && !FORMATS.contains(format)) {
            problem(at + "/format", "unknown format '" + format + "' (one of " + String.join(", ", new java.util.TreeSet<>(FORMATS)) + ")");
        }
        String role = optionalText(node, at, "role");
        if (role != null && !ROLES.contains(role)) {
            problem(at + "/role", "unknown role '" + role + "' (one of " + String.join(", ", new java.util.TreeSet<>(ROLES)) + ")");
        }
        if (path == null || url == null || size < 0) {
            return null;
        }
        return new ModelFile(path, url, mirrors, size, sha, format, role, md5);
    }

    private List<Profile> profiles(JsonNode node, List<Model> models) {
        List<Profile> profiles = new ArrayList<>();
        if (node == null) {
            return profiles;
        }
        if (!node.isObject()) {
            problem("/profiles", "must be an object of name -> {models: [...]}");
            return profiles;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String at = "/profiles/" + name;
            JsonNode p = node.get(name);
            if (!isObject(p, at)) {
                continue;
            }
            if (!ID.matcher(name).matches()) {
                problem(at, "profile name must be lowercase letters, digits, '.', '_' or '-'");
            }
            unknownFields(p, at, PROFILE_FIELDS);
            JsonNode list = p.get("models");
            if (list == null || !list.isArray() || list.isEmpty()) {
                problem(at + "/models", "must be a non-empty array of \"model\" or \"model:variant\"");
                continue;
            }
            List<String> specs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String spec = list.get(i).asText();
                if (!resolvable(spec, models)) {
                    problem(at + "/models/" + i, "names '" + spec + "', which is not a model (or variant) in this registry");
                }
                specs.add(spec);
            }
            profiles.add(new Profile(name, optionalText(p, at, "description"), specs));
        }
        return profiles;
    }

    private static boolean resolvable(String spec, List<Model> models) {
        String[] parts = spec.split(":", 2);
        return models.stream().anyMatch(m -> m.id().equals(parts[0])
                && (parts.length == 1 || m.variant(parts[1]).isPresent()));
    }

    private String id(JsonNode node, String at) {
        String id = requiredText(node, at, "id");
        if (id != null && !ID.matcher(id).matches()) {
            problem(at + "/id", "'" + abbreviate(id) + "' is not a valid id (lowercase letters, digits, '.', '_', '-')");
            return null;
        }
        return id;
    }

    private URI httpUrl(String text, String at) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem(at, "must be an http(s) URL, found '" + abbreviate(dev.modeldepot.core.Redact.text(text)) + "'");
                return null;
            }
            if (uri.getHost() == null) {
                problem(at, "URL has no host");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problem(at, "malformed URL (" + e.getReason() + ")");
            return null;
        }
    }

    private Double positiveNumber(JsonNode node, String at, String field) {
        JsonNode n = node.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isNumber() || n.asDouble() < 0) {
            problem(at + "/" + field, "must be a non-negative number");
            return null;
        }
        return n.asDouble();
    }

    private boolean isObject(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            problem(at, "must be an object");
            return false;
        }
        return true;
    }

    private String requiredText(JsonNode node, String at, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            problem(at + "/" + field, "missing (required)");
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            problem(at + "/" + field, "must be a non-empty string");
            return null;
        }
        return printableText(n.asText(), at, field);
    }

    /**
     * Registry text ends up on terminals, in logs and on the dashboard: a control character in it
     * (ESC, BEL, DEL, C1) is refused. Descriptions may break lines and hold tabs.
     */
    private String printableText(String text, String at, String field) {
        String check = field.equals("description") ? text.replace('\n', ' ').replace('\t', ' ').replace('\r', ' ') : text;
        if (!dev.modeldepot.core.Printable.isClean(check)) {
            problem(at + "/" + field, "contains a control character ('" + abbreviate(text) + "')");
            return null;
        }
        return text;
    }

    private String optionalText(JsonNode node, String at, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            problem(at + "/" + field, "must be a string");
            return null;
        }
        return printableText(n.asText(), at, field);
    }

    private void unknownFields(JsonNode node, String at, Set<String> known) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problem(at + "/" + f, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        });
    }

    /** Problems quote registry text: secrets are redacted and control characters escaped before anyone sees them. */
    private void problem(String at, String what) {
        String text = "at " + (at.isEmpty() ? "/" : at) + ": " + what;
        problems.add(dev.modeldepot.core.Printable.of(dev.modeldepot.core.Redact.text(text)));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
