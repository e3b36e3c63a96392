package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end in-process: JSON Lines shape, registry layout, refusals, exit codes. */
@ExtendWith(StartedOrigins.class)
class DownloadCommandTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    byte[] weights = FaultOrigin.randomBytes(3 * MB, 1);
    byte[] mmproj = FaultOrigin.randomBytes(MB / 2, 2);

    @BeforeEach
    void start() throws Exception {
        origin.serve("/w.gguf", weights);
        origin.serve("/mmproj.gguf", mmproj);
        String registry = """
                {"schemaVersion":1,"models":[{"id":"tiny","name":"Tiny","variants":[{"id":"q4","default":true,"files":[
                  {"path":"w.gguf","url":"%s","size":%d,"sha256":"%s","role":"weights"},
                  {"path":"mmproj.gguf","url":"%s","size":%d,"sha256":"%s","role":"mmproj"}]}]}],
                 "profiles":{"minimal":{"models":["tiny"]}}}
                """.formatted(origin.url("/w.gguf"), weights.length, FaultOrigin.sha256(weights),
                origin.url("/mmproj.gguf"), mmproj.length, FaultOrigin.sha256(mmproj));
        Files.writeString(dir.resolve("registry.json"), registry);
    }

    Run run(Map<String, String> env, String... args) {
        return run(dir, env, args);
    }

    /** download-model-with-progress ARGS with DIR/registry.json and the store DIR/store (TokenScopeTest's too). */
    static Run run(Path dir, Map<String, String> env, String... args) {
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env;
        cmd.installSignalHook = false;
        List<String> all = new ArrayList<>(List.of("--registry", dir.resolve("registry.json").toString(), "--cache-dir", dir.resolve("store").toString()));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    @Test
    void jsonLinesHaveTheDocumentedShape() throws Exception {
        Path out = dir.resolve("out/w.gguf");
        Run r = run(Map.of(), "--json", "--url", origin.url("/w.gguf").toString(), "--sha256", FaultOrigin.sha256(weights), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            events.add(Json.MAPPER.readTree(line)); // every stdout line is one JSON object
        }
        Set<String> allowed = Set.of("queued", "started", "progress", "retry", "verified", "completed", "failed");
        events.forEach(e -> assertTrue(allowed.contains(e.get("event").asText()), e.toString()));
        assertEquals("queued", events.get(0).get("event").asText());
        assertEquals("started", events.get(1).get("event").asText());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("completed", last.get("event").asText());
        assertEquals("w.gguf", last.get("file").asText());
        assertEquals(weights.length, last.get("bytes").asLong());
        assertEquals(weights.length, last.get("total").asLong());
        assertEquals(out.toString(), last.get("path").asText());
        assertEquals("verified", events.get(events.size() - 2).get("event").asText());
        events.stream().filter(e -> e.get("event").asText().equals("progress")).forEach(e -> {
            assertTrue(e.has("bytesPerSecond") && e.has("etaSeconds") && e.has("bytes") && e.has("total"), e.toString());
        });
        assertEquals(FaultOrigin.sha256(weights), FaultOrigin.sha256(Files.readAllBytes(out)));
    }

    @Test
    void failureIsAJsonEventWithCodeAndMessage() throws Exception {
        Run r = run(Map.of(), "--json", "--url", origin.url("/nope?sig=SECRET").toString(), "-o", dir.resolve("x").toString());
        assertEquals(1, r.exitCode());
        String[] lines = r.out().strip().split("\n");
        JsonNode failed = Json.MAPPER.readTree(lines[lines.length - 1]);
        assertEquals("failed", failed.get("event").asText());
        assertEquals(1, failed.get("error").get("code").asInt());
        assertTrue(failed.get("error").get("message").asText().contains("404"));
        assertFalse(r.out().contains("SECRET") || r.err().contains("SECRET"), r.out() + r.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void theLastJsonEventOfARegistryDownloadNamesTheReadableFolder() throws Exception {
        Run r = run(Map.of(), "--json", "tiny");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode done = Json.MAPPER.readTree(lines[lines.length - 1]);
        assertEquals("done", done.get("event").asText(), r.out());
        assertEquals("tiny", done.get("id").asText());
        assertEquals("q4", done.get("variant").asText());
        assertEquals("ready", done.get("state").asText());
        assertEquals(dir.resolve("store/models/tiny/q4").toString(), done.get("path").asText());
    }

    @Test
    void registryModelLandsInTheStoreLayoutWithEveryFile() throws Exception {
        Run r = run(Map.of(), "tiny");
        assertEquals(0, r.exitCode(), r.err());
        Path variant = dir.resolve("store/models/tiny/q4");
        assertEquals(FaultOrigin.sha256(weights), FaultOrigin.sha256(Files.readAllBytes(variant.resolve("w.gguf"))));
        assertEquals(FaultOrigin.sha256(mmproj), FaultOrigin.sha256(Files.readAllBytes(variant.resolve("mmproj.gguf"))));
        assertTrue(r.out().contains("tiny:q4 is in " + variant), r.out());
        try (var files = Files.list(variant)) {
            assertEquals(2, files.count(), "no partials or locks left");
        }
        // Again: already there, nothing fetched.
        long before = origin.bytesSent("/w.gguf");
        assertEquals(0, run(Map.of(), "--profile", "minimal").exitCode());
        assertEquals(before, origin.bytesSent("/w.gguf"));
        // And --offline is happy now.
        Run offline = run(Map.of(), "--offline", "tiny:q4");
        assertEquals(0, offline.exitCode(), offline.err());
    }

    @Test
    void disabledDownloadsExit1WithoutTouchingTheNetwork() {
        Run r = run(Map.of("DISABLE_MODEL_DOWNLOADS", "1"), "tiny");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("DISABLE_MODEL_DOWNLOADS"), r.err());
        assertEquals(0, origin.recorded().size());
    }

    @Test
    void offlineNeverTouchesTheNetwork() {
        Run r = run(Map.of(), "--offline", "tiny");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--offline is set and tiny:q4 is not downloaded yet"), r.err());
        Run u = run(Map.of(), "--offline", "--url", origin.url("/w.gguf").toString(), "-o", dir.resolve("w").toString());
        assertEquals(1, u.exitCode());
        assertEquals(0, origin.recorded().size());
    }

    @Test
    void badInputExits2WithOneSentence() {
        Run both = run(Map.of(), "tiny", "--url", origin.url("/w.gguf").toString(), "-o", "x");
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("give either"), both.err());
        assertEquals(2, run(Map.of(), "--url", origin.url("/w.gguf").toString()).exitCode());
        Run sha = run(Map.of(), "--url", origin.url("/w.gguf").toString(), "-o", "x", "--sha256", "xyz");
        assertEquals(2, sha.exitCode());
        assertFalse(sha.err().contains("\tat "), "no stack trace");
        assertEquals(2, run(Map.of(), "nosuchmodel").exitCode());
        assertEquals(2, run(Map.of(), "--url", origin.url("/w.gguf").toString(), "-o", "x", "--limit-rate", "fast").exitCode());
        assertEquals(2, run(Map.of(), "--url", origin.url("/w.gguf").toString(), "-o", "x", "--header", "NoColon").exitCode());
    }

    @Test
    void wrongChecksumExits3AndPlainOutputSaysWhy() {
        Map<String, String> env = new HashMap<>();
        Run r = run(env, "--url", origin.url("/w.gguf").toString(), "--sha256", "0".repeat(64), "-o", dir.resolve("w").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("fetching again from scratch"), r.err());
        assertFalse(Files.exists(dir.resolve("w")));
    }
}
