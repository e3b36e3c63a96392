package dev.modeldepot.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The origin (ETag, Range, If-Range, byte counters) and a registry pointing at it:
 * alpha (v1 default: a 2 MB weights file plus a small config in a subfolder; v2: one file),
 * slow (4 MB, served at 500 kB/s per connection until a test lifts the limit), second (small),
 * and corrupt (the origin's bytes do not match the registry's sha256).
 */
final class Fixture implements AutoCloseable {
    static final long SLOW_RATE = 500_000;

    final FaultOrigin origin;
    final Path registry;
    final Map<String, byte[]> content = new HashMap<>();
    final Map<String, FaultOrigin.Resource> resources = new HashMap<>();

    Fixture(Path dir) throws Exception {
        origin = FaultOrigin.start();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", 1);
        ArrayNode models = root.putArray("models");
        ObjectNode alpha = model(models, "alpha", "Alpha");
        ArrayNode v1 = variant(alpha, "v1", true);
        file(v1, "alpha.gguf", 2_000_000, 1, true);
        file(v1, "tokenizer/config.json", 10_000, 2, true);
        file(variant(alpha, "v2", false), "alpha-v2.gguf", 300_000, 3, true);
        file(variant(model(models, "slow", "Slow"), "q4", true), "slow.gguf", 4_000_000, 4, true);
        limit("/files/slow.gguf", SLOW_RATE);
        file(variant(model(models, "second", "Second"), "q4", true), "second.gguf", 256_000, 5, true);
        file(variant(model(models, "corrupt", "Corrupt"), "q4", true), "corrupt.gguf", 512_000, 6, false);
        registry = dir.resolve("registry.json");
        Files.createDirectories(dir);
        Files.writeString(registry, Json.pretty(root));
    }

    /** Bytes per second per connection for one file; 0 lifts the limit (also for a transfer under way). */
    void limit(String path, long bytesPerSecond) {
        resources.get(path).bytesPerSecond(bytesPerSecond);
    }

    String sha256(String path) {
        return FaultOrigin.sha256(content.get(path));
    }

    private static ObjectNode model(ArrayNode models, String id, String name) {
        ObjectNode m = models.addObject();
        m.put("id", id);
        m.put("name", name);
        m.putArray("variants");
        return m;
    }

    private static ArrayNode variant(ObjectNode model, String id, boolean isDefault) {
        ObjectNode v = ((ArrayNode) model.get("variants")).addObject();
        v.put("id", id);
        if (isDefault) {
            v.put("default", true);
        }
        return v.putArray("files");
    }

    private void file(ArrayNode files, String path, int size, long seed, boolean honest) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        byte[] data = FaultOrigin.randomBytes(size, seed);
        resources.put("/files/" + name, origin.serve("/files/" + name, data));
        content.put(path, data);
        ObjectNode f = files.addObject();
        f.put("path", path);
        f.put("url", origin.url("/files/" + name).toString());
        f.put("size", size);
        f.put("sha256", honest ? FaultOrigin.sha256(data) : FaultOrigin.sha256(new byte[] {1, 2, 3}));
    }

    @Override
    public void close() {
        origin.close();
    }
}
