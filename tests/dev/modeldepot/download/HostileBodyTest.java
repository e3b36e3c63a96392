package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, High 1: a body that never ends, or brings more than expected, stops at the expected size. */
@ExtendWith(StartedOrigins.class)
class HostileBodyTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    Events events = new Events();

    DownloadRequest request(String path, long size) {
        return new DownloadRequest("f.bin", origin.url(path), List.of(), size, null, dir.resolve("f.bin"), null);
    }

    void assertNothingLeft() throws Exception {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList(), "no target, partial, state or lock left");
        }
    }

    void assertProgressWithinTotal(long total) {
        for (DownloadEvent.Progress p : events.of(DownloadEvent.Progress.class)) {
            assertTrue(p.bytes() <= total && p.total() == total, "progress " + p.bytes() + " of " + p.total());
        }
    }

    @Test
    void endlessBodyStopsAtTheExpectedSizeWithExit3() throws Exception {
        origin.serve("/endless", FaultOrigin.randomBytes(64 * 1024, 1)).endless(true);
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(EngineFaultsTest.settings()).download(request("/endless", MB), events, new Cancellation()));
        assertEquals(ExitCode.INTEGRITY, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("server sent more than the expected " + MB + " bytes"), e.getMessage());
        assertNothingLeft();
        assertProgressWithinTotal(MB);
        assertEquals(ExitCode.INTEGRITY.code, events.of(DownloadEvent.Failed.class).get(0).code());
    }

    @Test
    void endlessBodyWithoutAnySizeStopsAtMaxSize() throws Exception {
        origin.serve("/endless", FaultOrigin.randomBytes(64 * 1024, 2)).endless(true);
        DownloadSettings s = EngineFaultsTest.settings().toBuilder().limits(Limits.DEFAULT.withMaxSize(2 * MB)).build();
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(s).download(request("/endless", -1), events, new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("without announcing a size"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void bodyWithoutLengthLongerThanExpectedIsRefusedEvenWhenItEnds() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 3);
        origin.serve("/f", body).noLength(true).ignoreRange(true);
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(EngineFaultsTest.settings()).download(request("/f", MB), events, new Cancellation()));
        assertEquals(ExitCode.INTEGRITY, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("more than the expected"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void bodyWithoutLengthOfTheExpectedSizeIsSaved() throws Exception {
        byte[] body = FaultOrigin.randomBytes(MB + 17, 4);
        origin.serve("/f", body).noLength(true).ignoreRange(true);
        DownloadRequest req = new DownloadRequest("f.bin", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f.bin"), null);
        DownloadResult r = new DownloadEngine(EngineFaultsTest.settings()).download(req, events, new Cancellation());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
    }

    @Test
    void cancellingAStreamThatCannotResumeKeepsNoPartial() throws Exception {
        origin.serve("/endless", FaultOrigin.randomBytes(64 * 1024, 5)).endless(true).trickle(16 * 1024, 20);
        Cancellation cancel = new Cancellation();
        DownloadRequest req = request("/endless", -1);
        CompletableFuture<DownloadResult> run = CompletableFuture.supplyAsync(() ->
                new DownloadEngine(EngineFaultsTest.settings()).download(req, events, cancel));
        Path part = DownloadEngine.Paths.of(req).part();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(part) && Files.size(part) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(part), "the stream started");
        cancel.cancel();
        Exception e = assertThrows(Exception.class, run::join);
        DepotException d = (DepotException) e.getCause();
        assertEquals(ExitCode.INTERRUPTED, d.exitCode());
        assertTrue(d.getMessage().contains("nothing kept"), d.getMessage());
        assertFalse(d.getMessage().contains("run the same command again"), "no promise of a resume that cannot happen: " + d.getMessage());
        assertNothingLeft();
    }
}
