package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, crash and restart of a real "model-store serve" process; its token and its discovery file. */
class ServiceLifecycleTest {
    @TempDir
    Path dir;
    Fixture fixture;
    Path store;
    Path logs;
    final List<ServiceProcess> started = new java.util.ArrayList<>();

    @BeforeEach
    void origin() throws Exception {
        fixture = new Fixture(dir.resolve("origin"));
        store = dir.resolve("store");
        logs = dir.resolve("logs");
    }

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess s : started) {
            s.close();
        }
        fixture.close();
    }

    ServiceProcess serve(Map<String, String> env, String... extra) throws Exception {
        ServiceProcess s = ServiceProcess.start(store, fixture.registry, logs, env, extra);
        started.add(s);
        return s;
    }

    /** Starts the slow model and waits until part of it is on disk. */
    long startSlowAndWaitForBytes(ServiceProcess s) throws Exception {
        assertEquals(202, s.post("/api/model-download/slow/start").status());
        ServiceProcess.waitFor(() -> {
            try {
                return s.status("slow").get("bytes_downloaded").asLong() >= 500_000;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "half a megabyte of the slow model");
        return s.status("slow").get("bytes_downloaded").asLong();
    }

    JsonNode savedItem(String key) throws Exception {
        JsonNode saved = Json.MAPPER.readTree(store.resolve("queue/queue.json").toFile());
        for (JsonNode item : saved.get("items")) {
            if (item.get("key").asText().equals(key)) {
                return item;
            }
        }
        throw new AssertionError(key + " is not in the saved queue: " + saved);
    }

    /** The engine's partial of slow.gguf: in the store's partial area, in the folder named by its sha256. */
    Path slowPartial() throws Exception {
        Path dir = store.resolve("partial").resolve(fixture.sha256("slow.gguf"));
        return TestFiles.under(dir).stream().filter(p -> p.getFileName().toString().endsWith(".part")).findFirst().orElseThrow(() -> new AssertionError("no partial in " + dir + "; the store holds " + filesIn(store)));
    }

    private static List<Path> filesIn(Path dir) {
        try {
            return TestFiles.under(dir);
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** Bytes the partial's saved state says are on disk, as [from, to) ranges. */
    List<long[]> keptRanges() throws Exception {
        Path state = slowPartial().resolveSibling(slowPartial().getFileName() + ".json");
        List<long[]> out = new java.util.ArrayList<>();
        for (JsonNode r : Json.MAPPER.readTree(state.toFile()).get("completed")) {
            out.add(new long[] {r.get(0).asLong(), r.get(1).asLong()});
        }
        return out;
    }

    long quietCount(String path) throws InterruptedException {
        long before = fixture.origin.bytesSent(path);
        for (int i = 0; i < 100; i++) {
            Thread.sleep(100);
            long now = fixture.origin.bytesSent(path);
            if (now == before) {
                return now;
            }
            before = now;
        }
        return before;
    }

    static long sum(List<long[]> ranges) {
        return ranges.stream().mapToLong(r -> r[1] - r[0]).sum();
    }

    /**
     * The restarted service completes the slow model, asking the origin (with If-Range and the
     * ETag) only for what the partial lacked; the stored blob has the registry's sha256.
     */
    void assertResumedFromPartial(List<long[]> kept) throws Exception {
        long keptBytes = sum(kept);
        long firstGap = kept.isEmpty() || kept.get(0)[0] != 0 ? 0 : kept.get(0)[1];
        fixture.limit("/files/slow.gguf", 0);
        // The origin's handler threads for the dead client may still write a chunk into the socket
        // before they notice it is gone; count from a quiet origin so those bytes are not "resent".
        long sentBefore = quietCount("/files/slow.gguf");
        int requestsBefore = fixture.origin.recorded("/files/slow.gguf").size();
        ServiceProcess again = serve(Map.of());
        JsonNode done = again.awaitStatus("slow", "completed");
        assertEquals(100.0, done.get("percent").asDouble());
        assertArrayEquals(fixture.content.get("slow.gguf"), Files.readAllBytes(store.resolve("models/slow/q4/slow.gguf")));
        assertEquals(fixture.sha256("slow.gguf"), TestFiles.sha256(store.resolve("blobs/sha256/" + fixture.sha256("slow.gguf"))));

        long resent = fixture.origin.bytesSent("/files/slow.gguf") - sentBefore;
        assertTrue(resent < 4_000_000, "the restart did not fetch the whole file again: " + resent);
        assertTrue(resent <= 4_000_000 - keptBytes + ServiceApiTest.PROBES, "only what the partial lacked: " + resent + " with " + keptBytes + " kept");
        List<FaultOrigin.Request> resumed = fixture.origin.recorded("/files/slow.gguf");
        resumed = resumed.subList(requestsBefore, resumed.size());
        String etag = fixture.resources.get("/files/slow.gguf").etag();
        String expectedRange = "bytes=" + firstGap + "-";
        assertTrue(resumed.stream().anyMatch(r -> String.valueOf(r.header("Range")).startsWith(expectedRange) && etag.equals(r.header("If-Range"))),
                "a ranged request from the partial's end (" + expectedRange + "), validated with If-Range " + etag + ": "
                        + resumed.stream().map(r -> r.header("Range") + " / " + r.header("If-Range")).toList());
        assertFalse(Files.exists(store.resolve("partial").resolve(fixture.sha256("slow.gguf"))), "the partial area is cleaned up");
    }

    @Test
    void sigtermSavesTheQueueAndThePartialAndARestartResumes() throws Exception {
        ServiceProcess first = serve(Map.of());
        long seen = startSlowAndWaitForBytes(first);
        assertEquals(202, first.post("/api/model-download/second/start").status());
        int exit = first.sigterm();
        assertEquals(143, exit, "the JVM's exit code after SIGTERM");
        assertTrue(first.out().contains("stopped; queue saved"), first.out());
        assertFalse(Files.exists(ServiceDiscovery.file(store)), "a clean stop removes the discovery file");
        assertEquals("QUEUED", savedItem("slow:q4").get("state").asText(), "the interrupted download is saved as queued");
        assertEquals("QUEUED", savedItem("second:q4").get("state").asText());
        assertTrue(Files.exists(slowPartial()), "the partial is kept");
        assertFalse(Files.exists(store.resolve("models/slow/q4/slow.gguf")));
        List<long[]> kept = keptRanges();
        assertTrue(sum(kept) >= seen && sum(kept) < 4_000_000, "the stop saved at least what the status had shown (" + seen + "): " + sum(kept));
        assertResumedFromPartial(kept);
        started.get(1).awaitStatus("second", "completed");
    }

    @Test
    void killDashNineLosesNothingTheNextStartCannotResume() throws Exception {
        ServiceProcess first = serve(Map.of());
        startSlowAndWaitForBytes(first);
        // The engine saves the partial's state every half second: wait for a save with bytes in it.
        ServiceProcess.waitFor(() -> {
            try {
                return sum(keptRanges()) > 0;
            } catch (Exception | AssertionError e) {
                return false;
            }
        }, "the partial's saved state");
        first.kill9();
        assertTrue(Files.exists(ServiceDiscovery.file(store)), "kill -9 leaves the discovery file behind");
        assertTrue(ServiceDiscovery.find(store).isEmpty(), "a discovery file of a dead process finds nothing");
        assertEquals("DOWNLOADING", savedItem("slow:q4").get("state").asText());
        List<long[]> kept = keptRanges();
        assertTrue(sum(kept) > 0 && sum(kept) < 4_000_000, "kept: " + sum(kept));
        assertResumedFromPartial(kept);
    }

    @Test
    void theTokenIsOwnerOnlyAndNeverShown() throws Exception {
        ServiceProcess first = serve(Map.of());
        Path tokenFile = store.resolve("service/token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())));
        String token = first.token();
        assertTrue(token.length() >= 43);
        assertEquals(202, first.post("/api/model-download/second/start").status());
        first.awaitStatus("second", "completed");
        assertEquals(401, first.post("/api/model-download/second/clear", token.substring(0, 20), null).status());
        String serviceJson = Files.readString(ServiceDiscovery.file(store));
        assertTrue(serviceJson.contains(tokenFile.toString()), "the discovery file says where the token is");
        String fingerprint = ServiceToken.loadOrCreate(tokenFile).fingerprint();
        ServiceProcess.waitFor(() -> first.out().contains(fingerprint + ", new"), "the fingerprint in the banner");
        first.sigterm();
        String queueJson = Files.readString(store.resolve("queue/queue.json"));
        for (String place : List.of(first.out(), first.err(), serviceJson, queueJson)) {
            assertFalse(place.contains(token), "the token leaked into: " + place);
        }

        ServiceProcess second = serve(Map.of());
        assertEquals(token, second.token(), "a restart keeps the token");
        assertFalse(second.out().contains(", new"));
        second.sigterm();

        // A token file of the user's choosing, left readable by others: narrowed and used.
        Path own = dir.resolve("own-token");
        String ownToken = "x".repeat(48);
        Files.writeString(own, ownToken + "\n");
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-r--r--"));
        ServiceProcess third = serve(Map.of(), "--token-file", own.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
        // The discovery file comes before the banner: wait for the banner.
        ServiceProcess.waitFor(() -> third.err().contains("the token file was readable by others"), "the warning: " + third.err());
        assertEquals(401, third.post("/api/model-download/second/clear", token, null).status());
        assertEquals(200, third.post("/api/model-download/second/clear", ownToken, null).status());
        assertFalse(third.out().contains(ownToken) || third.err().contains(ownToken));
    }

    @Test
    void discoveryFindsOnlyALiveServiceAndASecondOneIsRefused() throws Exception {
        ServiceProcess first = serve(Map.of());
        ServiceEndpoint found = ServiceDiscovery.find(store).orElseThrow();
        assertEquals(first.process.pid(), found.pid());
        assertEquals("127.0.0.1", found.url().getHost());

        ServiceProcess second = ServiceProcess.launch(store, fixture.registry, logs, Map.of());
        started.add(second);
        assertTrue(second.process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, second.process.exitValue());
        assertTrue(second.err().contains("a service is already running for this store at " + found.url()), second.err());
        assertFalse(second.err().contains("Exception"), second.err());

        first.sigterm();
        assertTrue(ServiceDiscovery.find(store).isEmpty());
        // A stale file whose pid is gone (this finished process's) finds nothing either.
        ServiceDiscovery.write(store, new ServiceEndpoint(found.url(), found.port(), "127.0.0.1", second.process.pid(),
                Instant.now(), "0", "x"));
        assertTrue(ServiceDiscovery.read(store).isPresent());
        assertTrue(ServiceDiscovery.find(store).isEmpty());
        ServiceProcess third = serve(Map.of());
        assertEquals(third.process.pid(), ServiceDiscovery.find(store).orElseThrow().pid(), "a stale file does not block a new start");
    }

    @Test
    void disabledDownloadsAnswer403WithTheReason() throws Exception {
        ServiceProcess s = serve(Map.of("DISABLE_MODEL_DOWNLOADS", "1"));
        assertEquals(401, s.post("/api/model-download/alpha/start", null, null).status(), "the token is still checked first");
        ServiceProcess.Response refused = s.post("/api/model-download/alpha/start");
        assertEquals(403, refused.status());
        assertTrue(refused.text("error").contains("DISABLE_MODEL_DOWNLOADS=1"), refused.text("error"));
        assertEquals(403, s.post("/api/model-download/alpha/clear").status(), "the service is read-only then");
        assertFalse(s.get("/api/health").json().get("downloads_enabled").asBoolean());
        assertEquals("not_started", s.status("alpha").get("status").asText());
        ServiceProcess.waitFor(() -> s.err().contains("model downloads are disabled"), "the warning: " + s.err());
        assertTrue(fixture.origin.recorded().isEmpty(), "nothing was fetched");
    }
}
