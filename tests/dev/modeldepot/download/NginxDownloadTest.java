package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Nginx;
import dev.modeldepot.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main paths against a real nginx: parallel ranges, resume with If-Range, ETag change. */
class NginxDownloadTest {
    static final int MB = 1 << 20;
    @TempDir
    Path tmp;
    Path www;
    Path dir;
    byte[] body = FaultOrigin.randomBytes(12 * MB, 42);

    @BeforeEach
    void needsNginx() throws Exception {
        Requires.command("nginx");
        www = Files.createDirectories(tmp.resolve("www"));
        dir = Files.createDirectories(tmp.resolve("downloads"));
        Files.write(www.resolve("model.bin"), body);
    }

    DownloadRequest request(Nginx nginx, String sha) {
        return new DownloadRequest("model.bin", nginx.url("/model.bin"), List.of(), body.length, sha, dir.resolve("model.bin"), null);
    }

    /** Until the saved state has {@code bytes}; fails (instead of hanging) if the download ended. */
    static void waitFor(Path state, long bytes, CompletableFuture<?> run) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (PartialState.load(state) == null || PartialState.load(state).completedBytes() < bytes) {
            if (run.isDone()) {
                throw new AssertionError("the download ended before it could be interrupted: " + run.join());
            }
            assertTrue(System.nanoTime() < deadline, "no progress within 30 s");
            Thread.sleep(50);
        }
    }

    @Test
    void parallelRangesFromNginx() throws Exception {
        try (Nginx nginx = Nginx.start(www, null)) {
            Events events = new Events();
            DownloadResult r = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(4).build()).download(request(nginx, FaultOrigin.sha256(body)), events, new Cancellation());
            assertEquals(FaultOrigin.sha256(body), r.sha256());
            assertEquals(4, events.of(DownloadEvent.Started.class).get(0).connections());
            assertTrue(nginx.accessLog().stream().filter(l -> l.contains(" 206 ")).count() >= 12, String.join("\n", nginx.accessLog()));
            assertTrue(nginx.bodyBytesSent() <= body.length + 1, "each byte once: " + nginx.bodyBytesSent());
        }
    }

    @Test
    void resumeSendsIfRangeAndFetchesOnlyTheRest() throws Exception {
        try (Nginx slow = Nginx.start(www, "512k")) {
            Cancellation cancel = new Cancellation();
            DownloadRequest req = request(slow, FaultOrigin.sha256(body));
            // Big segments: nginx sends the first ~1 MB of each response at full speed.
            CompletableFuture<DownloadResult> run = CompletableFuture.supplyAsync(() ->
                    new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(3).segmentSize(4 * MB).build()).download(req, new Events(), cancel));
            Path state = DownloadEngine.Paths.of(req).state();
            waitFor(state, 2L * MB, run);
            cancel.cancel();
            Exception e = assertThrows(Exception.class, run::join);
            assertEquals(ExitCode.INTERRUPTED, ((DepotException) e.getCause()).exitCode());
        }
        PartialState saved = PartialState.load(dir.resolve(".model.bin.part.json"));
        try (Nginx nginx = Nginx.start(www, null)) {
            DownloadRequest req = new DownloadRequest("model.bin", nginx.url("/model.bin"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("model.bin"), null);
            // A new port means a new URL: carry the state over as a restarted server on the same address would.
            PartialState moved = new PartialState(saved.version(), saved.url(), PartialState.hash(nginx.url("/model.bin").toString()), saved.size(),
                    saved.etag(), saved.lastModified(), saved.segmentSize(), saved.completed(), 0);
            moved.save(DownloadEngine.Paths.of(req).state());
            Events events = new Events();
            DownloadResult r = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(4).segmentSize(4 * MB).build()).download(req, events, new Cancellation());
            assertEquals(FaultOrigin.sha256(body), r.sha256());
            assertEquals(body.length - saved.completedBytes(), r.bytesFetched(), "only the missing bytes");
            assertTrue(events.of(DownloadEvent.Started.class).get(0).bytes() >= 2L * MB, "started from the saved bytes");
            assertTrue(nginx.accessLog().stream().filter(l -> l.contains(" 206 ") && !l.contains("bytes=0-0"))
                            .allMatch(l -> l.contains(saved.etag().replace("\"", ""))),
                    "every range carried If-Range with the ETag: " + nginx.accessLog());
            assertEquals(body.length - saved.completedBytes() + 1, nginx.bodyBytesSent());
        }
    }

    @Test
    void changedFileOnNginxRestartsCleanly() throws Exception {
        byte[] v2 = FaultOrigin.randomBytes(12 * MB, 43);
        try (Nginx nginx = Nginx.start(www, "512k")) {
            DownloadRequest req = request(nginx, null);
            Cancellation cancel = new Cancellation();
            CompletableFuture<DownloadResult> run = CompletableFuture.supplyAsync(() ->
                    new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(2).segmentSize(6 * MB).build()).download(req, new Events(), cancel));
            Path state = DownloadEngine.Paths.of(req).state();
            waitFor(state, MB, run);
            cancel.cancel();
            assertThrows(Exception.class, run::join);
            Files.write(www.resolve("model.bin"), v2);
            Files.setLastModifiedTime(www.resolve("model.bin"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        }
        try (Nginx nginx = Nginx.start(www, null)) {
            // Same address again: the saved state points at this URL.
            DownloadRequest req = request(nginx, FaultOrigin.sha256(v2));
            Path oldState = dir.resolve(".model.bin.part.json");
            PartialState s = PartialState.load(oldState);
            new PartialState(s.version(), s.url(), PartialState.hash(nginx.url("/model.bin").toString()), s.size(), s.etag(), s.lastModified(),
                    s.segmentSize(), s.completed(), 0).save(oldState);
            Events events = new Events();
            DownloadResult r = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(2).build()).download(req, events, new Cancellation());
            assertEquals(FaultOrigin.sha256(v2), r.sha256(), "nothing of the old file mixed in");
            assertTrue(events.retryReasons().contains("changed on the server"), events.retryReasons());
        }
    }
}
