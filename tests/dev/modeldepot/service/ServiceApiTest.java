package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API of a real "model-store serve" child process, downloading from a loopback origin. */
class ServiceApiTest {
    /** The engine's size probes (Range: bytes=0-0) send a byte each. */
    static final long PROBES = 16;

    @TempDir
    Path dir;
    Fixture fixture;
    ServiceProcess service;

    @BeforeEach
    void start() throws Exception {
        fixture = new Fixture(dir.resolve("origin"));
        service = ServiceProcess.start(dir.resolve("store"), fixture.registry, dir.resolve("logs"), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
        fixture.close();
    }

    @Test
    void startThenPollStatusToCompletion() throws Exception {
        ServiceProcess.Response health = service.get("/api/health");
        assertEquals(200, health.status());
        assertEquals("ok", health.text("status"));

        JsonNode before = service.status("alpha");
        assertEquals("not_started", before.get("status").asText());
        assertEquals("alpha:v1", before.get("model").asText(), "a bare model id means its default variant");
        assertEquals(2_010_000, before.get("total_bytes").asLong());

        ServiceProcess.Response started = service.post("/api/model-download/alpha/start");
        assertEquals(202, started.status(), started.json().toString());
        assertTrue(started.json().get("queued").asBoolean());

        JsonNode done = service.awaitStatus("alpha", "completed");
        assertEquals(100.0, done.get("percent").asDouble());
        assertEquals(2, done.get("files_done").asInt());
        assertEquals(2, done.get("files_total").asInt());
        assertEquals(2_010_000, done.get("bytes_downloaded").asLong());
        assertTrue(done.get("in_store").asBoolean());
        assertFalse(done.get("in_hf_cache").asBoolean());
        assertFalse(done.get("queued_at").isNull());
        assertFalse(done.get("finished_at").isNull());
        Path variant = service.store.resolve("models/alpha/v1");
        assertArrayEquals(fixture.content.get("alpha.gguf"), Files.readAllBytes(variant.resolve("alpha.gguf")));
        assertArrayEquals(fixture.content.get("tokenizer/config.json"), Files.readAllBytes(variant.resolve("tokenizer/config.json")));

        assertEquals(fixture.sha256("alpha.gguf"), TestFiles.sha256(service.store.resolve("blobs/sha256/" + fixture.sha256("alpha.gguf"))),
                "the store keeps the file as a blob named by its sha256");
        long sent = fixture.origin.bytesSent("/files/alpha.gguf");
        assertTrue(sent >= 2_000_000 && sent <= 2_000_000 + PROBES, "fetched once: " + sent);

        // model:variant, URL-encoded colon included.
        assertEquals(202, service.post("/api/model-download/alpha%3Av2/start").status());
        service.awaitStatus("alpha:v2", "completed");

        ServiceProcess.Response again = service.post("/api/model-download/alpha/start");
        assertEquals(200, again.status(), "nothing accepted, so not 202");
        assertEquals("already in the store", again.text("message"));
        assertEquals("completed", again.text("status"));
        assertEquals(sent, fixture.origin.bytesSent("/files/alpha.gguf"), "nothing is downloaded twice");

        JsonNode queue = service.get("/api/model-download-queue-status").json();
        assertEquals(0, queue.get("size").asInt());
        assertEquals(0, queue.get("running").asInt());
        JsonNode models = service.get("/api/models").json().get("models");
        assertEquals(4, models.size());
        assertEquals("completed", models.get(0).get("variants").get(0).get("status").asText());
        assertEquals("not_started", models.get(1).get("variants").get(0).get("status").asText());
        assertTrue(service.out().contains("alpha:v1 completed"), service.out());
    }

    @Test
    void queueStatusCancelAndClear() throws Exception {
        assertEquals(202, service.post("/api/model-download/slow/start").status());
        assertEquals(202, service.post("/api/model-download/second/start").status());
        service.awaitStatus("slow", "downloading");
        JsonNode queue = service.get("/api/model-download-queue-status").json();
        assertEquals(2, queue.get("size").asInt());
        assertEquals(1, queue.get("running").asInt());
        assertEquals("slow:q4", queue.get("currently_downloading").get(0).asText());
        assertEquals("queued", service.status("second").get("status").asText(), "one download at a time by default");

        String token = service.token();
        ServiceProcess.Response raised = service.post("/api/model-download/second/priority", token, "{\"priority\": 7}");
        assertEquals(200, raised.status());
        assertTrue(raised.json().get("changed").asBoolean());
        assertEquals(7, service.status("second").get("priority").asInt());
        assertEquals(400, service.post("/api/model-download/second/priority", token, "{}").status(), "a priority is required");
        assertEquals(401, service.post("/api/model-download/second/priority", null, "{\"priority\": 1}").status());

        ServiceProcess.Response duplicate = service.post("/api/model-download/slow/start");
        assertEquals(200, duplicate.status());
        assertFalse(duplicate.json().get("queued").asBoolean());
        assertEquals("already in the queue", duplicate.text("message"));

        ServiceProcess.Response cancelled = service.post("/api/model-download/slow/cancel");
        assertEquals(200, cancelled.status());
        assertTrue(cancelled.json().get("changed").asBoolean());
        assertEquals("not_started", cancelled.text("status"));
        assertEquals("cancelled", cancelled.text("state"));
        service.awaitStatus("second", "completed");
        assertFalse(service.status("slow").get("in_store").asBoolean());

        ServiceProcess.Response cleared = service.post("/api/model-download/slow/clear");
        assertTrue(cleared.json().get("changed").asBoolean());
        assertTrue(service.status("slow").get("state").isNull(), "a cleared entry is gone from the queue");
        assertFalse(service.post("/api/model-download/slow/clear").json().get("changed").asBoolean());
        JsonNode items = service.get("/api/model-download-queue-status").json().get("items");
        assertEquals(1, items.size(), "only 'second' is left in the queue: " + items);
        assertEquals("second:q4", items.get(0).get("model").asText());
    }

    @Test
    void aClientFoundByDiscoverySeesTheQueueAsSnapshots() throws Exception {
        ServiceClient client = ServiceDiscovery.find(service.store).map(ServiceClient::new).orElseThrow();
        assertEquals("queued", client.start("second:q4", 2).path("message").asText());
        client.start("slow", 0);
        ServiceProcess.waitFor(() -> client.snapshot().item("second:q4").map(i -> i.state() == ItemState.COMPLETED).orElse(false),
                "second to complete");
        QueueSnapshot snap = client.snapshot();
        ItemSnapshot second = snap.item("second:q4").orElseThrow();
        assertEquals(256_000, second.bytesDone());
        assertEquals(1, second.filesTotal());
        assertEquals(2, second.priority());
        assertTrue(client.act("pause", "slow"));
        assertEquals(ItemState.PAUSED, client.snapshot().item("slow:q4").orElseThrow().state());
        assertTrue(client.act("resume", "slow"));
        assertTrue(client.act("cancel", "slow"));
        dev.modeldepot.core.DepotException unknown = org.junit.jupiter.api.Assertions.assertThrows(dev.modeldepot.core.DepotException.class,
                () -> client.start("ghost", 0));
        assertTrue(unknown.getMessage().contains("unknown model 'ghost'"), unknown.getMessage());
    }

    @Test
    void aCorruptDownloadFailsAndNothingAppearsInTheStore() throws Exception {
        service.post("/api/model-download/corrupt/start");
        JsonNode failed = service.awaitStatus("corrupt", "failed");
        String error = failed.get("last_error").asText();
        assertTrue(error.contains("SHA-256 of corrupt:q4/corrupt.gguf is") && error.contains("again after a fresh download"), error);
        assertFalse(Files.exists(service.store.resolve("models/corrupt/q4/corrupt.gguf")));
        assertTrue(TestFiles.under(service.store.resolve("blobs")).isEmpty(), "no blob was stored");
        assertTrue(TestFiles.under(service.store.resolve("partial")).stream().noneMatch(p -> p.toString().endsWith(".part")),
                "bytes that hashed wrong are not kept as a partial: " + TestFiles.under(service.store.resolve("partial")));
        assertTrue(fixture.origin.bytesSent("/files/corrupt.gguf") >= 2 * 512_000, "fetched again from scratch before giving up");
        assertTrue(service.out().contains("corrupt:q4 failed: the SHA-256 of corrupt:q4/corrupt.gguf is"), service.out());
        assertTrue(service.post("/api/model-download/corrupt/retry").json().get("changed").asBoolean());
        service.awaitStatus("corrupt", "failed");
    }

    @Test
    void wrongRequestsGetTheRightAnswers() throws Exception {
        String token = service.token();
        assertEquals(401, service.post("/api/model-download/alpha/start", null, null).status());
        assertEquals(401, service.post("/api/model-download/alpha/start", "not-the-token", null).status());
        ServiceProcess.Response basic = service.send(HttpRequest.newBuilder(service.url("/api/model-download/alpha/cancel"))
                .header("Authorization", "Basic " + token).POST(HttpRequest.BodyPublishers.noBody()), null);
        assertEquals(401, basic.status());
        assertTrue(basic.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, service.post("/api/model-download/alpha/clear", null, null).status());
        assertTrue(service.get("/api/model-download-queue-status").json().get("items").isEmpty(), "a refused request changed nothing");

        assertEquals(404, service.post("/api/model-download/nosuchmodel/start").status());
        ServiceProcess.Response noVariant = service.post("/api/model-download/alpha:fp64/start");
        assertEquals(404, noVariant.status());
        assertTrue(noVariant.text("error").contains("has no variant 'fp64'"), noVariant.text("error"));
        assertEquals(404, service.get("/api/model-download-status/nosuchmodel").status());
        assertEquals(404, service.get("/api/nothing-here").status());

        assertEquals(400, service.rawGet("/api/model-download-status/bad%zzid"), "a malformed escape");
        assertEquals(400, service.get("/api/model-download-status/a%20b").status());
        assertEquals(400, service.get("/api/model-download-status/..%2F..%2Fetc").status());
        assertEquals(400, service.post("/api/model-download/alpha/start", token, "{not json").status());
        assertEquals(400, service.post("/api/model-download/alpha/start", token, "[1]").status());
        assertEquals(400, service.post("/api/model-download/alpha/start", token, "{\"priority\":\"high\"}").status());
        assertEquals(413, service.post("/api/model-download/alpha/start", token, "{\"pad\":\"" + "x".repeat(70_000) + "\"}").status());

        ServiceProcess.Response getOnStart = service.get("/api/model-download/alpha/start");
        assertEquals(405, getOnStart.status());
        assertEquals("POST", getOnStart.headers().firstValue("Allow").orElse(""));
        ServiceProcess.Response postOnStatus = service.post("/api/model-download-status/alpha");
        assertEquals(405, postOnStatus.status());
        assertTrue(postOnStatus.headers().firstValue("Allow").orElse("").contains("GET"));
        assertEquals(405, service.send(HttpRequest.newBuilder(service.url("/api/health")).DELETE(), token).status());

        assertEquals(202, service.post("/api/model-download/second/start", token, "{\"priority\": 3}").status(), "the service still works");
        assertEquals(3, service.awaitStatus("second", "completed").get("priority").asInt());
        assertFalse((service.out() + service.err()).contains("Exception"), "no stack trace: " + service.err());
    }

    @Test
    void severalClientsAtOnce() throws Exception {
        String token = service.token();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int client = t;
                results.add(pool.submit(() -> {
                    List<Integer> codes = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        ServiceProcess.Response r = switch ((client + i) % 5) {
                            case 0 -> service.post("/api/model-download/alpha/start", token, null);
                            case 1 -> service.get("/api/model-download-status/alpha");
                            case 2 -> service.get("/api/model-download-queue-status");
                            case 3 -> service.get("/api/models");
                            default -> service.get("/api/health");
                        };
                        codes.add(r.status());
                    }
                    return codes;
                }));
            }
            for (Future<List<Integer>> f : results) {
                for (int code : f.get()) {
                    assertTrue(code == 200 || code == 202, "every answer is a success: " + code);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        service.awaitStatus("alpha", "completed");
        long sent = fixture.origin.bytesSent("/files/alpha.gguf");
        assertTrue(sent <= 2_000_000 + PROBES, "24 start requests, one download: " + sent);
    }
}
