package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, Medium 5 (budgets that run out) and the cancellable waits: a server that never lets a
 * download finish gets a bounded number of attempts, a minimum speed, a deadline; a cancel ends
 * any wait within a second.
 */
@ExtendWith(StartedOrigins.class)
class RetryBudgetTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    Events events = new Events();

    DownloadSettings settings(int retries) {
        return EngineFaultsTest.settings().toBuilder().retries(retries).build();
    }

    DownloadRequest request(byte[] body) {
        return new DownloadRequest("f.bin", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f.bin"), null);
    }

    DepotException failure(DownloadSettings s, DownloadRequest req) {
        return assertThrows(DepotException.class, () -> new DownloadEngine(s).download(req, events, new Cancellation()));
    }

    @Test
    void aStreamThatDiesAtTheSamePlaceEveryTimeRunsOutOfRetries() {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 1);
        origin.serve("/f", body).ignoreRange(true).dropAfter(MB, 1000);
        DepotException e = failure(settings(2), request(body));
        assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("without progress"), e.getMessage());
        assertTrue(origin.requests("/f") <= 10, "bounded: " + origin.requests("/f") + " requests");
    }

    @Test
    void oneByteARequestIsNotProgress() {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 2);
        origin.serve("/f", body).dropAfter(1, 1000);
        DepotException e = failure(settings(3).toBuilder().connections(1).build(), request(body));
        assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 3 attempts in a row without progress"), e.getMessage());
        assertTrue(origin.requests("/f") <= 8, "bounded: " + origin.requests("/f") + " requests");
    }

    @Test
    void aTrickleSlowerThanMinSpeedCountsAsAStall() {
        byte[] body = FaultOrigin.randomBytes(256 * 1024, 3);
        origin.serve("/f", body).trickle(1, 100); // never silent for the 2 s --timeout, but 10 bytes a second
        DownloadSettings s = settings(1).toBuilder().connections(1).limits(Limits.DEFAULT.withMinSpeed(1000, Duration.ofSeconds(1))).build();
        long start = System.nanoTime();
        DepotException e = failure(s, request(body));
        assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("--min-speed"), e.getMessage());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "bounded in time");
    }

    @Test
    void theDeadlineEndsTheRunAndKeepsAResumablePartial() {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 4);
        origin.serve("/f", body).bytesPerSecond(128 * 1024); // 16 s to finish: the deadline must come first
        DownloadSettings s = settings(8).toBuilder().connections(2).limits(Limits.DEFAULT.withDeadline(Instant.now().plusMillis(1500))).build();
        DownloadRequest req = request(body);
        long start = System.nanoTime();
        DepotException e = failure(s, req);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("--deadline"), e.getMessage());
        assertTrue(tookMillis < 8000, "stopped at the deadline, took " + tookMillis + " ms");
        assertTrue(Files.exists(DownloadEngine.Paths.of(req).part()), "a ranged download keeps its partial to resume");
        assertTrue(Files.notExists(dir.resolve("f.bin")));
    }

    /** Cancels once the engine announces a wait of 20 s and says how long the cancel took to take effect. */
    long cancelDuringRetryAfter(FaultOrigin.Resource r, DownloadSettings s, DownloadRequest req) throws Exception {
        Cancellation cancel = new Cancellation();
        Events seen = new Events();
        CompletableFuture<DownloadResult> run = CompletableFuture.supplyAsync(() -> new DownloadEngine(s).download(req, seen, cancel));
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (seen.of(DownloadEvent.Retry.class).stream().noneMatch(x -> x.delayMillis() >= 20_000) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(seen.retryReasons().contains("503"), seen.retryReasons());
        long start = System.nanoTime();
        cancel.cancel();
        Exception e = assertThrows(Exception.class, run::join);
        assertEquals(ExitCode.INTERRUPTED, ((DepotException) e.getCause()).exitCode(), e.getMessage());
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void cancelDuringAnyRetryAfterWaitTakesLessThanASecond() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 5);
        FaultOrigin.Resource r = origin.serve("/f", body);
        // The size probe waits.
        r.failWith(503, 1, "20");
        assertTrue(cancelDuringRetryAfter(r, settings(3), request(body)) < 1000);
        // A range connection waits.
        r.failAfterProbeWith(503, 10, "20");
        assertTrue(cancelDuringRetryAfter(r, settings(3).toBuilder().connections(2).build(), request(body)) < 1000);
        // A single stream (no ranges) waits before starting over.
        r.ignoreRange(true).failAfterProbeWith(503, 10, "20");
        assertTrue(cancelDuringRetryAfter(r, settings(3), request(body)) < 1000);
    }
}
