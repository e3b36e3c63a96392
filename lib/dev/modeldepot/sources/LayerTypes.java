package dev.modeldepot.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.registry.ModelFile;
import java.util.Locale;

/**
 * What an OCI layer's media type says about the file: its format, its role, and a file name when
 * the layer has no {@code org.opencontainers.image.title} (Ollama's layers have none). Docker
 * Model Runner's {@code application/vnd.docker.ai.*} types and Ollama's
 * {@code application/vnd.ollama.image.*} types are the ones models are published with.
 */
final class LayerTypes {
    static final String GGUF = "application/vnd.docker.ai.gguf.v3";

    private LayerTypes() {}

    static String format(String mediaType) {
        String t = mediaType.toLowerCase(Locale.ROOT);
        if (t.contains("gguf") || t.equals("application/vnd.ollama.image.model") || t.equals("application/vnd.ollama.image.projector")) {
            return "gguf";
        }
        if (t.contains("safetensors")) {
            return "safetensors";
        }
        return null;
    }

    static String role(String mediaType, JsonNode layer, String path) {
        String declared = layer.path("annotations").path("dev.modeldepot.role").asText(null);
        if (declared != null && ModelFile.knownRole(declared)) {
            return declared;
        }
        String t = mediaType.toLowerCase(Locale.ROOT);
        if (t.endsWith(".projector") || t.contains("mmproj") || path.toLowerCase(Locale.ROOT).contains("mmproj")) {
            return "mmproj";
        }
        if (t.contains("gguf") || t.endsWith(".image.model") || t.contains("model.weight")) {
            return "weights";
        }
        if (t.contains("license") || t.endsWith(".template") || t.endsWith(".params")) {
            return "other";
        }
        return null;
    }

    static String defaultName(String mediaType, String digest, int index) {
        return switch (mediaType) {
            case GGUF, "application/vnd.ollama.image.model" -> index == 0 ? "model.gguf" : "model-" + index + ".gguf";
            case "application/vnd.ollama.image.projector" -> "mmproj.gguf";
            case "application/vnd.ollama.image.template" -> "template.txt";
            case "application/vnd.ollama.image.params" -> "params.json";
            case "application/vnd.ollama.image.license", "application/vnd.docker.ai.license" -> "LICENSE" + (index == 0 ? "" : "-" + index);
            default -> digest.substring(7, 19) + ".bin";
        };
    }
}
