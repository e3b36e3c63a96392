package dev.modeldepot.store;

import dev.modeldepot.core.Json;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.testing.FaultOrigin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A registry of one model, {@code m:q}, with one file {@code m.gguf} at a given URL: for tests with the real engine. */
final class OneFile {
    private OneFile() {}

    static Path registry(Path dir, String name, URI url, byte[] body) throws IOException {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", "m.gguf");
        file.put("url", url.toString());
        file.put("size", body.length);
        file.put("sha256", FaultOrigin.sha256(body));
        file.put("role", "weights");
        Map<String, Object> variant = Map.of("id", "q", "default", true, "files", List.of(file));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", "m");
        model.put("name", "M");
        model.put("license", "apache-2.0");
        model.put("variants", List.of(variant));
        Path out = dir.resolve(name);
        Files.writeString(out, Json.pretty(Map.of("schemaVersion", 1, "models", List.of(model))));
        return out;
    }

    static VariantRef ref(Path registry) {
        return RegistryLoader.load(registry.toString(), true).resolve("m:q");
    }
}
