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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop (Ctrl-C, a queue's cancel) closes the connections mid-body: that is not a network
 * failure, so no worker reports a "retry" or "ended early" for it, and the partial is kept.
 */
@ExtendWith(StartedOrigins.class)
class StopQuietlyTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;

    @Test
    void aStopMidBodyReportsNoRetryAndKeepsThePartial() throws Exception {
        byte[] body = FaultOrigin.randomBytes(24 * MB, 7);
        origin.serve("/f", body).bytesPerSecond(2L * MB);
        for (int round = 0; round < 3; round++) {
            Events events = new Events();
            Cancellation cancel = new Cancellation();
            DownloadRequest req = new DownloadRequest("f.bin", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body),
                    dir.resolve("f.bin"), null);
            DownloadEngine engine = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(8).build());
            CompletableFuture<DownloadResult> run = CompletableFuture.supplyAsync(() -> engine.download(req, events, cancel));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (events.of(DownloadEvent.Progress.class).stream().noneMatch(p -> p.bytes() > 0)) {
                assertTrue(System.nanoTime() < deadline, "no progress within 30 s");
                Thread.sleep(20);
            }
            cancel.cancel();
            Throwable t = assertThrows(Exception.class, () -> run.get(30, TimeUnit.SECONDS)).getCause();
            assertTrue(t instanceof DepotException, String.valueOf(t));
            assertEquals(ExitCode.INTERRUPTED, ((DepotException) t).exitCode(), t.getMessage());
            assertEquals("", events.retryReasons(), "a stop is not a failure to retry");
            assertTrue(Files.exists(dir.resolve(".f.bin.part")), "the partial is kept for a resume");
        }
    }
}
