package dev.modeldepot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Appends measured files to a registry file, refusing any edit that would make it invalid. */
public final class RegistryEditor {
    private RegistryEditor() {}

    public static Map<String, Object> fileEntry(FileMeasurer.Measurement m, String path, String format, String role) {
        Map<String, Object> entry = new LinkedHashMap<>();
        String p = path != null ? path : m.name();
        entry.put("path", p);
        entry.put("url", m.url() != null ? m.url() : "https://example.invalid/replace-with-the-download-url/" + p);
        entry.put("size", m.size());
        entry.put("sha256", m.sha256());
        String f = format != null ? format : new ModelFile(p, null, null, 0, null, null, null).effectiveFormat();
        if (RegistryValidator.FORMATS.contains(f)) {
            entry.put("format", f);
        }
        if (role != null) {
            entry.put("role", role);
        }
        return entry;
    }

    public static void append(Path registryFile, String modelId, String variantId, Map<String, Object> entry) throws IOException {
        if (!Files.isRegularFile(registryFile)) {
            throw DepotException.badInput("--model/--variant append to a registry file, and " + registryFile + " is not one (pass --registry FILE)");
        }
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readString(registryFile, StandardCharsets.UTF_8));
        ArrayNode models = root.withArray("models");
        ObjectNode model = find(models, modelId);
        if (model == null) {
            model = models.addObject().put("id", modelId).put("name", modelId);
        }
        ArrayNode variants = model.withArray("variants");
        ObjectNode variant = find(variants, variantId);
        if (variant == null) {
            variant = variants.addObject().put("id", variantId);
        }
        ArrayNode files = variant.withArray("files");
        for (JsonNode f : files) {
            if (entry.get("path").equals(f.path("path").asText())) {
                throw DepotException.badInput(modelId + ":" + variantId + " already has a file " + entry.get("path"));
            }
        }
        files.add(Json.MAPPER.valueToTree(entry));
        String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        RegistryLoader.parse(text, registryFile.toString());
        AtomicFiles.write(registryFile, text.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode find(ArrayNode array, String id) {
        for (JsonNode n : array) {
            if (id.equals(n.path("id").asText())) {
                return (ObjectNode) n;
            }
        }
        return null;
    }
}
