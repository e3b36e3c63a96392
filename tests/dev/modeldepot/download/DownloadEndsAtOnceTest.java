package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
 * A finished download does not wait out the supervisor's nap: the hasher wakes it when the last
 * byte is hashed, and the write-back thread is woken at stop. The nap is made a minute long, so a
 * download that waited for it would miss the 30 s bound by far.
 */
@ExtendWith(StartedOrigins.class)
class DownloadEndsAtOnceTest {
    @TempDir
    Path dir;
    FaultOrigin origin;

    @Test
    void aFinishedDownloadDoesNotWaitOutTheNap() throws Exception {
        byte[] body = FaultOrigin.randomBytes(3 << 20, 11);
        origin.serve("/f", body);
        long nap = Transfer.napNanos;
        Transfer.napNanos = TimeUnit.SECONDS.toNanos(60);
        try {
            DownloadRequest req = new DownloadRequest("f.bin", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body),
                    dir.resolve("f.bin"), null);
            DownloadEngine engine = new DownloadEngine(EngineFaultsTest.settings());
            CompletableFuture<DownloadResult> run = CompletableFuture.supplyAsync(() -> engine.download(req, new Events(), new Cancellation()));
            run.get(30, TimeUnit.SECONDS);
            assertArrayEquals(body, Files.readAllBytes(dir.resolve("f.bin")));
        } finally {
            Transfer.napNanos = nap;
        }
    }
}
