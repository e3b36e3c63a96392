package dev.modeldepot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts GPT4All's published catalog (models3.json: a list of entries with filename, url,
 * filesize as a decimal string, md5sum, sha256sum on newer entries, ramrequired, parameters, quant,
 * type and an HTML description) into our registry format. An entry with only an md5sum keeps it
 * as {@code md5} (checked after the download, reported as a weaker checksum); an entry that cannot
 * be converted is listed with the reason instead of being guessed at.
 */
public final class Gpt4AllCatalog {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    /** The registry document, and one line per entry left out ("name: reason"). */
    public record Conversion(Map<String, Object> registry, List<String> skipped, int converted, int md5Only) {}

    private Gpt4AllCatalog() {}

    public static Conversion convert(String text, String label) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw DepotException.badInput(label + " is not valid JSON");
        }
        if (root == null || !root.isArray()) {
            throw DepotException.badInput(label + " is not a GPT4All catalog (models3.json is a JSON list of entries)");
        }
        List<Map<String, Object>> models = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int md5Only = 0;
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String filename = text(e, "filename");
            String who = text(e, "name") != null ? text(e, "name") : filename != null ? filename : "entry " + i;
            String why = whyNot(e, filename);
            if (why != null) {
                skipped.add(who + ": " + why);
                continue;
            }
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", filename);
            file.put("url", text(e, "url"));
            file.put("size", Long.parseLong(text(e, "filesize").trim()));
            String sha = text(e, "sha256sum");
            String md5 = text(e, "md5sum");
            if (sha != null && HEX64.matcher(sha).matches()) {
                file.put("sha256", sha.toLowerCase(Locale.ROOT));
            } else if (md5 != null) {
                file.put("md5", md5.toLowerCase(Locale.ROOT));
                md5Only++;
            }
            String ext = filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (RegistryValidator.FORMATS.contains(ext)) {
                file.put("format", ext);
            }
            file.put("role", "weights");
            Map<String, Object> variant = new LinkedHashMap<>();
            String quant = text(e, "quant");
            variant.put("id", quant == null ? "default" : slug(quant));
            String ram = text(e, "ramrequired");
            if (ram != null && NUMBER.matcher(ram.trim()).matches()) {
                variant.put("hardware", Map.of("minRamGb", Double.parseDouble(ram.trim())));
            }
            variant.put("files", List.of(file));
            Map<String, Object> model = new LinkedHashMap<>();
            String id = slug(filename.substring(0, filename.lastIndexOf('.') > 0 ? filename.lastIndexOf('.') : filename.length()));
            String unique = id;
            for (int n = 2; !ids.add(unique); n++) {
                unique = id + "-" + n;
            }
            model.put("id", unique);
            model.put("name", text(e, "name") != null ? text(e, "name") : filename);
            String description = text(e, "description");
            if (description != null) {
                model.put("description", TAG.matcher(description).replaceAll("").replaceAll("\\s+", " ").trim());
            }
            List<String> tags = new ArrayList<>(List.of("gpt4all"));
            for (String field : List.of("type", "parameters")) {
                if (text(e, field) != null) {
                    tags.add(text(e, field));
                }
            }
            model.put("tags", tags);
            model.put("variants", List.of(variant));
            models.add(model);
        }
        Map<String, Object> registry = new LinkedHashMap<>();
        registry.put("schemaVersion", RegistryValidator.SCHEMA_VERSION);
        registry.put("models", models);
        return new Conversion(registry, skipped, models.size(), md5Only);
    }

    private static String whyNot(JsonNode e, String filename) {
        if (!e.isObject()) {
            return "not an object";
        }
        if (filename == null) {
            return "no filename";
        }
        String unsafe = PathRules.whyUnsafe(filename);
        if (unsafe != null || filename.contains("/")) {
            return "unsafe filename (" + (unsafe != null ? unsafe : "has a folder") + ")";
        }
        String url = text(e, "url");
        if (url == null) {
            return "no url (GPT4All derives one from its own site; give the entry a url to convert it)";
        }
        if (!url.matches("(?i)https?://[^/?#\\s]+.*")) {
            return "url is not http(s)";
        }
        String size = text(e, "filesize");
        if (size == null || !size.trim().matches("\\d{1,13}")) {
            return "filesize '" + size + "' is not a whole number of bytes";
        }
        String sha = text(e, "sha256sum");
        String md5 = text(e, "md5sum");
        if (sha != null && !HEX64.matcher(sha).matches()) {
            return "sha256sum is not 64 hex digits";
        }
        if (sha == null && md5 != null && !HEX32.matcher(md5).matches()) {
            return "md5sum is not 32 hex digits";
        }
        if (sha == null && md5 == null) {
            return "no md5sum or sha256sum: it could not be verified";
        }
        return null;
    }

    private static String text(JsonNode e, String field) {
        JsonNode n = e.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.isBlank() ? null : s;
    }

    private static String slug(String s) {
        String id = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "").replaceAll("-+$", "");
        return id.isEmpty() ? "model" : id;
    }
}
