package dev.modeldepot.api;

import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.verify.SampleFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app's registry served by a loopback {@link FaultOrigin}: "photo-tagger:onnx" (default) is a
 * real, structurally valid ONNX model of {@code onnxBytes} plus its tags file, as the example
 * app photo-tagger.java expects.
 */
public final class AppRegistry implements AutoCloseable {
    public static final String MODEL = "photo-tagger";
    public final FaultOrigin origin;
    public final Path file;
    public final byte[] onnx;
    public final byte[] tags = "tag_id,name,category\n0,cat,0\n1,dog,0\n2,sunset,0\n".getBytes(StandardCharsets.UTF_8);
    public final FaultOrigin.Resource onnxResource;

    public AppRegistry(Path dir, int onnxBytes) throws IOException {
        origin = FaultOrigin.start();
        onnx = SampleFiles.onnxBytes(onnxBytes, 42);
        onnxResource = origin.serve("/tagger/model.onnx", onnx);
        origin.serve("/tagger/selected_tags.csv", tags);
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("id", "onnx");
        variant.put("default", true);
        variant.put("files", List.of(file("model.onnx", onnx, "onnx", "weights"), file("selected_tags.csv", tags, "other", "labels")));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", MODEL);
        model.put("name", "Photo tagger (ONNX)");
        model.put("license", "apache-2.0");
        model.put("variants", List.of(variant));
        file = dir.resolve("app-registry.json");
        Files.writeString(file, Json.pretty(Map.of("schemaVersion", 1, "models", List.of(model))));
    }

    private Map<String, Object> file(String name, byte[] body, String format, String role) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", name);
        f.put("url", origin.url("/tagger/" + name).toString());
        f.put("size", body.length);
        f.put("sha256", FaultOrigin.sha256(body));
        f.put("format", format);
        f.put("role", role);
        return f;
    }

    public long totalSize() {
        return onnx.length + tags.length;
    }

    @Override
    public void close() {
        origin.close();
    }
}
