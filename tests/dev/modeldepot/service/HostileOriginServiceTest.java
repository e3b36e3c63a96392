package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.testing.FaultOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 through a real `model-store serve` process: an endless body never shows more bytes than
 * the registry's size, a cancel keeps no partial a stream cannot resume, and a URL with a password
 * and a signature never reaches the status answers, the log, queue.json or anything in the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one service process for the three cases: start-up is the slow part
class HostileOriginServiceTest {
    static final String PASSWORD = "PASSWD";
    static final String SIGNATURE = "SIGSECRET";
    @TempDir
    static Path dir;
    FaultOrigin origin;
    ServiceProcess service;
    byte[] good = FaultOrigin.randomBytes(100_000, 1);

    @BeforeAll
    void start() throws Exception {
        origin = FaultOrigin.start();
        origin.serve("/endless", FaultOrigin.randomBytes(64 * 1024, 2)).endless(true);
        origin.serve("/trickle", FaultOrigin.randomBytes(64 * 1024, 3)).endless(true).trickle(4096, 50);
        origin.serve("/forbidden", good).failWith(403, 1000, null);
        origin.serve("/good", good);
        // No ranges, so one stream, and it is told to come back in 20 s: the wait that ignored cancels.
        origin.serve("/busy", good).ignoreRange(true).failAfterProbeWith(503, Integer.MAX_VALUE, "20");
        String secretUrl = "HTTP://alice:" + PASSWORD + "@127.0.0.1:" + origin.port() + "%s?X-Amz-Signature=" + SIGNATURE + "&X-Amz-Credential=CRED";
        String registry = """
                {"schemaVersion":1,"models":[
                 {"id":"endless","name":"E","variants":[{"id":"q","default":true,"files":[{"path":"e.bin","url":"%s","size":1000}]}]},
                 {"id":"trickle","name":"T","variants":[{"id":"q","default":true,"files":[{"path":"t.bin","url":"%s","size":100000000}]}]},
                 {"id":"leaky","name":"L","variants":[{"id":"q","default":true,"files":[{"path":"l.bin","url":"%s","size":%d}]}]},
                 {"id":"busy","name":"B","variants":[{"id":"q","default":true,"files":[{"path":"b.bin","url":"%s","size":%d}]}]},
                 {"id":"signed","name":"S","variants":[{"id":"q","default":true,"files":[{"path":"s.bin","url":"%s","size":%d,"sha256":"%s"}]}]}]}
                """.formatted(origin.url("/endless"), origin.url("/trickle"), secretUrl.formatted("/forbidden"), good.length,
                origin.url("/busy"), good.length, secretUrl.formatted("/good"), good.length, FaultOrigin.sha256(good));
        Files.writeString(dir.resolve("registry.json"), registry);
        service = ServiceProcess.start(dir.resolve("store"), dir.resolve("registry.json"), dir.resolve("logs"), Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
        origin.close();
    }

    @Test
    void anEndlessBodyStopsAtTheRegistrySizeAndNeverShowsMore() throws Exception {
        assertEquals(202, service.post("/api/model-download/endless/start").status());
        List<JsonNode> seen = new ArrayList<>();
        ServiceProcess.waitFor(() -> {
            try {
                JsonNode s = service.status("endless");
                seen.add(s);
                return "failed".equals(s.get("status").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the endless download to fail");
        for (JsonNode s : seen) {
            if (s.has("bytes_downloaded") && s.has("total_bytes")) {
                assertTrue(s.get("bytes_downloaded").asLong() <= 1000, s.toString());
                assertTrue(s.get("percent").asDouble() <= 100.0, s.toString());
            }
        }
        JsonNode last = seen.get(seen.size() - 1);
        assertEquals(3, last.get("last_error_code").asInt(), last.toString());
        assertTrue(last.get("last_error").asText().contains("more than the expected 1000 bytes"), last.toString());
        assertEquals(List.of(), partials(), "nothing kept of a body that lied");
    }

    @Test
    void cancellingAStreamThatCannotResumeRemovesItsPartial() throws Exception {
        assertEquals(202, service.post("/api/model-download/trickle/start").status());
        ServiceProcess.waitFor(() -> origin.bytesSent("/trickle") > 20_000 && !partials().isEmpty(), "the stream to start writing");
        service.post("/api/model-download/trickle/cancel");
        ServiceProcess.waitFor(() -> partials().isEmpty(), "the partial to be removed after the cancel: " + partials());
    }

    @Test
    void passwordsAndSignaturesAreWrittenNowhere() throws Exception {
        service.post("/api/model-download/leaky/start");
        JsonNode failed = service.awaitStatus("leaky", "failed");
        assertTrue(failed.get("last_error").asText().contains("403"), failed.toString());
        service.post("/api/model-download/signed/start");
        JsonNode done = service.awaitStatus("signed", "completed");
        List<String> everything = new ArrayList<>(List.of(failed.toString(), done.toString(), service.out(), service.err(),
                service.get("/api/model-download-status").json().toString()));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith("registry.json")).toList()) {
                if (Files.size(p) < 1_000_000) {
                    everything.add(p + ": " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertTrue(everything.stream().anyMatch(t -> t.contains("queue.json")), "queue.json was looked at");
        for (String text : everything) {
            assertFalse(text.contains(PASSWORD), "password leaked: " + text);
            assertFalse(text.contains(SIGNATURE), "signature leaked: " + text);
            assertFalse(text.contains("CRED"), "credential leaked: " + text);
        }
    }

    @Test
    void aQueueCancelDuringARetryAfterOf20SecondsTakesLessThanASecond() throws Exception {
        assertEquals(202, service.post("/api/model-download/busy/start").status());
        ServiceProcess.waitFor(() -> origin.requests("/busy") >= 2, "the size probe, then a 503 (Retry-After: 20)");
        Thread.sleep(300); // the engine is in its 20 s wait now
        long start = System.nanoTime();
        service.post("/api/model-download/busy/cancel");
        // The queue starts a new run of the same model only once the old one has returned, so the
        // second request shows when the engine really stopped waiting.
        service.post("/api/model-download/busy/start");
        ServiceProcess.waitFor(() -> origin.requests("/busy") >= 3, "the engine to stop waiting");
        long millis = (System.nanoTime() - start) / 1_000_000;
        service.post("/api/model-download/busy/cancel");
        assertTrue(millis < 1000, "cancel took " + millis + " ms during a 20 s Retry-After");
    }

    List<Path> partials() {
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return List.of(); // a file vanished while walking: look again
        }
    }
}
