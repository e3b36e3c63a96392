package dev.modeldepot.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.verify.FormatCheck;
import dev.modeldepot.verify.FormatChecks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo files have real headers, the registry's hashes match the clean bytes, and the origin speaks Range. */
class DemoOriginTest {
    DemoCatalog catalog = DemoCatalog.create(3_000_000, 42);
    DemoOrigin origin;
    Registry registry;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        origin = new DemoOrigin(catalog, 0);
        registry = catalog.registry(origin.uri());
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    ModelFile file(String model, String path) {
        return registry.model(model).orElseThrow().defaultVariant().file(path).orElseThrow();
    }

    HttpResponse<byte[]> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String str(ByteBuffer b) {
        byte[] text = new byte[(int) b.getLong()];
        b.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void catalogHasTheFourShapesAndIsDeterministic() {
        assertEquals(4, registry.models().size());
        assertEquals(2, registry.model("demo-llava").orElseThrow().defaultVariant().files().size());
        assertEquals(4, registry.model("demo-sharded").orElseThrow().defaultVariant().files().size());
        Registry again = DemoCatalog.create(3_000_000, 42).registry(origin.uri());
        assertEquals(registry.models(), again.models(), "same seed, same bytes, same hashes");
        long total = catalog.totalSize();
        assertTrue(total > 2_500_000 && total < 3_500_000, "scaled to about the requested size: " + total);
    }

    @Test
    void ggufFilesHaveAValidHeaderWhoseTensorFillsTheFile() throws Exception {
        ModelFile f = file("demo-llava", "mmproj-model-f16.gguf");
        byte[] body = get(f.url()).body();
        assertEquals(f.size(), body.length);
        FormatCheck check = structure(body, "gguf");
        assertTrue(check.ok() && check.checked(), check.toString());
        assertTrue(check.detail().startsWith("GGUF v3 (clip)"), check.detail());
        // The last tensor's data ends exactly at the end of the file: one byte less is truncated.
        FormatCheck shorter = structure(Arrays.copyOf(body, body.length - 1), "gguf");
        assertTrue(!shorter.ok() && shorter.detail().contains("truncated"), shorter.toString());
    }

    @Test
    void safetensorsFilesHaveAJsonHeaderWhoseOffsetsFillTheFile() throws Exception {
        ModelFile f = file("demo-diffusion", "vae.safetensors");
        byte[] body = get(f.url()).body();
        long n = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = Json.MAPPER.readTree(new String(body, 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("pt", header.path("__metadata__").path("format").asText());
        JsonNode tensor = header.path("decoder.conv_in.weight");
        assertEquals("F32", tensor.path("dtype").asText());
        FormatCheck check = structure(body, "safetensors");
        assertTrue(check.ok() && check.detail().contains("ending at the end of the file"), check.toString());
    }

    private FormatCheck structure(byte[] body, String format) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("demo-", "." + format);
        try {
            java.nio.file.Files.write(file, body);
            return FormatChecks.check(file, format);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void cleanFilesMatchTheirHashAndTheBrokenOneDoesNot() throws Exception {
        ModelFile good = file("demo-sharded", "model-00002-of-00003.safetensors");
        assertEquals(good.sha256(), sha256(get(good.url()).body()));
        ModelFile config = file("demo-sharded", "config.json");
        assertTrue(new String(get(config.url()).body(), StandardCharsets.UTF_8).contains("DemoForCausalLM"));
        ModelFile broken = file("demo-broken", "demo-broken.Q8_0.gguf");
        byte[] body = get(broken.url()).body();
        assertEquals(broken.size(), body.length, "right size, wrong bytes: only the hash can tell");
        assertNotEquals(broken.sha256(), sha256(body));
    }

    @Test
    void rangeRequestsResumeWhereAsked() throws Exception {
        ModelFile f = file("demo-llava", "demo-llava.Q4_K_M.gguf");
        byte[] whole = get(f.url()).body();
        HttpResponse<byte[]> tail = get(f.url(), "Range", "bytes=1000-");
        assertEquals(206, tail.statusCode());
        assertEquals("bytes 1000-" + (f.size() - 1) + "/" + f.size(), tail.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(whole, 1000, whole.length), tail.body());
        String etag = tail.headers().firstValue("ETag").orElseThrow();
        assertEquals(206, get(f.url(), "Range", "bytes=10-19", "If-Range", etag).statusCode());
        assertEquals(200, get(f.url(), "Range", "bytes=10-19", "If-Range", "\"stale\"").statusCode(), "a changed file is sent whole");
        assertEquals(416, get(f.url(), "Range", "bytes=" + f.size() + "-").statusCode());
        assertEquals(404, get(origin.uri().resolve("/files/nope")).statusCode());
    }
}
