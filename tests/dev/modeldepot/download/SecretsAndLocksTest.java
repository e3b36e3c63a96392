package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Tokens go only where they belong and are never written anywhere; one downloader per target. */
@ExtendWith(StartedOrigins.class)
class SecretsAndLocksTest {
    static final int MB = 1 << 20;
    static final String TOKEN = "hf_SecretTokenValue123456";
    @TempDir
    Path dir;
    FaultOrigin origin;
    Events events = new Events();

    @Test
    void crossHostRedirectDropsAuthorizationAndCustomHeaders() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 1);
        origin.serve("/cdn/f", body);
        origin.serve("/resolve/f", new byte[0]).redirectTo(origin.url("127.0.0.1", "/cdn/f?X-Amz-Signature=abc123secret"));
        DownloadSettings s = EngineFaultsTest.settings().toBuilder().token("tok-123", null).headers(List.of("X-Custom: yes")).build();
        DownloadRequest req = new DownloadRequest("f", origin.url("localhost", "/resolve/f"), List.of(), body.length,
                FaultOrigin.sha256(body), dir.resolve("f"), null);
        new DownloadEngine(s).download(req, events, new Cancellation());
        List<FaultOrigin.Request> home = origin.recorded("/resolve/f");
        assertFalse(home.isEmpty());
        home.forEach(r -> {
            assertEquals("Bearer tok-123", r.header("Authorization"), "the token goes to its own host");
            assertEquals("yes", r.header("X-Custom"));
        });
        List<FaultOrigin.Request> cdn = origin.recorded("/cdn/f");
        assertFalse(cdn.isEmpty());
        cdn.forEach(r -> {
            assertNull(r.header("Authorization"), "no token after the redirect left the host");
            assertNull(r.header("X-Custom"), "no custom header after the redirect left the host");
            assertTrue(r.header("User-Agent").startsWith("model-depot/"));
        });
    }

    @Test
    void hfTokenGoesOnlyToTheHuggingFaceEndpoint() throws Exception {
        byte[] body = FaultOrigin.randomBytes(MB, 2);
        origin.serve("/a", body);
        origin.serve("/b", body);
        // HF_ENDPOINT is "localhost": requests to 127.0.0.1 (another host) must not carry HF_TOKEN.
        DownloadSettings s = DownloadSettings.defaults(Map.of("HF_TOKEN", TOKEN, "HF_ENDPOINT", origin.url("localhost", "").toString()));
        DownloadEngine engine = new DownloadEngine(s);
        engine.download(new DownloadRequest("a", origin.url("localhost", "/a"), List.of(), -1, null, dir.resolve("a"), null), events, new Cancellation());
        engine.download(new DownloadRequest("b", origin.url("127.0.0.1", "/b"), List.of(), -1, null, dir.resolve("b"), null), events, new Cancellation());
        origin.recorded("/a").forEach(r -> assertEquals("Bearer " + TOKEN, r.header("Authorization")));
        origin.recorded("/b").forEach(r -> assertNull(r.header("Authorization")));
    }

    @Test
    void secretsNeverReachStateFilesEventsOrErrors() throws Exception {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 3);
        FaultOrigin.Resource res = origin.serve("/f", body).bytesPerSecond(MB / 2);
        URI signed = origin.url("/f?X-Amz-Signature=SIGNEDSECRET&token=" + TOKEN);
        DownloadSettings s = DownloadSettings.defaults(Map.of("HF_TOKEN", TOKEN, "HF_ENDPOINT", origin.url("").toString()))
                .toBuilder().token("tok-SECRET", null).connections(2).segmentSize(MB).build();
        Cancellation cancel = new Cancellation();
        List<String> stateSnapshots = new ArrayList<>();
        DownloadRequest req = new DownloadRequest("f", signed, List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f"), null);
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> new DownloadEngine(s).download(req, events, cancel));
        Path state = DownloadEngine.Paths.of(req).state();
        while (origin.bytesSent("/f") < MB) {
            Thread.sleep(20);
        }
        Thread.sleep(1200); // one state save at least
        stateSnapshots.add(Files.readString(state));
        cancel.cancel();
        Exception e = assertThrows(Exception.class, run::join);
        DepotException d = (DepotException) e.getCause();
        assertEquals(ExitCode.INTERRUPTED, d.exitCode());
        assertTrue(d.getMessage().contains("run the same command again to resume"), d.getMessage());
        assertTrue(Files.exists(state), events.all.toString());
        stateSnapshots.add(Files.readString(state));
        res.bytesPerSecond(0).failWith(403, 1, null);
        DepotException refused = assertThrows(DepotException.class, () -> new DownloadEngine(s).download(req, events, new Cancellation()));
        List<String> everything = new ArrayList<>(stateSnapshots);
        everything.add(refused.getMessage());
        everything.add(d.getMessage());
        events.all.forEach(ev -> everything.add(dev.modeldepot.core.Json.line(ev)));
        for (String text : everything) {
            assertFalse(text.contains("SIGNEDSECRET"), text);
            assertFalse(text.contains(TOKEN), text);
            assertFalse(text.contains("tok-SECRET"), text);
        }
        assertTrue(stateSnapshots.get(0).contains("\"completed\""), stateSnapshots.get(0));
    }

    @Test
    void twoDownloadersOfOneTargetFetchItOnce() throws Exception {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 4);
        origin.serve("/f", body).bytesPerSecond(4L * MB);
        DownloadRequest req = new DownloadRequest("f", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f"), null);
        DownloadEngine engine = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(2).build());
        Events second = new Events();
        CompletableFuture<DownloadResult> a = CompletableFuture.supplyAsync(() -> engine.download(req, events, new Cancellation()));
        while (origin.bytesSent("/f") == 0) {
            Thread.sleep(10);
        }
        CompletableFuture<DownloadResult> b = CompletableFuture.supplyAsync(() -> engine.download(req, second, new Cancellation()));
        assertEquals(FaultOrigin.sha256(body), a.join().sha256());
        DownloadResult rb = b.join();
        assertEquals(FaultOrigin.sha256(body), rb.sha256());
        assertEquals(0, rb.bytesFetched(), "the waiter found the verified file");
        assertTrue(origin.bytesSent("/f") <= body.length + 1, "downloaded once: " + origin.bytesSent("/f"));
        assertTrue(second.retryReasons().contains("waiting for another process"), second.retryReasons());
    }

    @Test
    void lockWaitIsBounded() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 5);
        origin.serve("/f", body).bytesPerSecond(MB / 2);
        DownloadRequest req = new DownloadRequest("f", origin.url("/f"), List.of(), body.length, null, dir.resolve("f"), null);
        Cancellation stopFirst = new Cancellation();
        CompletableFuture<DownloadResult> a = CompletableFuture.supplyAsync(() ->
                new DownloadEngine(EngineFaultsTest.settings()).download(req, events, stopFirst));
        while (origin.bytesSent("/f") == 0) {
            Thread.sleep(10);
        }
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(EngineFaultsTest.settings().toBuilder().lockWait(Duration.ofMillis(600)).build()).download(req, new Events(), new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("another process is still downloading"), e.getMessage());
        stopFirst.cancel();
        assertThrows(Exception.class, a::join);
    }

    @Test
    void disabledDownloadsRefuse() {
        DownloadSettings s = DownloadSettings.defaults(Map.of("DISABLE_MODEL_DOWNLOADS", "1"));
        DownloadRequest req = DownloadRequest.of(origin.url("/f"), dir.resolve("f"), -1, null);
        DepotException e = assertThrows(DepotException.class, () -> new DownloadEngine(s).download(req, events, new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("DISABLE_MODEL_DOWNLOADS"));
        assertEquals(0, origin.recorded().size(), "no request at all");
    }

    @Test
    void envDefaultsAreRead() {
        DownloadSettings s = DownloadSettings.defaults(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "7", "HF_DOWNLOAD_MAX_RETRIES", "3"));
        assertEquals(Duration.ofSeconds(7), s.stallTimeout());
        assertEquals(3, s.retries());
        assertFalse(s.disabled());
        assertNull(s.hfToken());
    }
}
