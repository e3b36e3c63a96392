package dev.modeldepot.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.download.DownloadEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue's speed and ETA as the dashboard shows them, four snapshots a second, on an injected clock. */
class QueueEtaTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    final FakeInstaller installer = new FakeInstaller();
    DownloadQueue q;

    @AfterEach
    void close() {
        if (q != null) {
            q.close();
        }
    }

    private FakeInstaller.Job running(String key) {
        q = new DownloadQueue(dir.resolve("queue.json"), installer, 1, clock);
        q.enqueue(key, 0);
        q.start();
        return installer.nth(1);
    }

    private ItemSnapshot after(long millis) {
        clock.advance(Duration.ofMillis(millis));
        return q.snapshot().item("m:q4").orElseThrow();
    }

    @Test
    void theEtaOnScreenChangesAtMostOnceASecondWhileTheEngineReportsTwiceASecond() {
        FakeInstaller.Job job = running("m:q4");
        long total = 100_000_000;
        job.emit(new DownloadEvent.Started("m:q4/w.gguf", 0, total, 4));
        long bytes = 0;
        long lastEta = Long.MIN_VALUE;
        long lastChange = 0;
        int changes = 0;
        for (int tick = 1; tick <= 120; tick++) { // 30 s of a dashboard redrawing every 250 ms
            clock.advance(Duration.ofMillis(250));
            if (tick % 2 == 0) {
                // The engine's progress, every 500 ms, in uneven steps around 1 MB/s.
                bytes += tick % 4 == 0 ? 700_000 : 300_000;
                job.emit(new DownloadEvent.Progress("m:q4/w.gguf", bytes, total, 0, -1));
            }
            long eta = q.snapshot().item("m:q4").orElseThrow().etaSeconds();
            if (eta != lastEta) {
                assertTrue(lastEta == Long.MIN_VALUE || tick * 250L - lastChange >= 1000,
                        "the ETA changed at " + lastChange + " ms and again at " + tick * 250L + " ms");
                lastEta = eta;
                lastChange = tick * 250L;
                changes++;
            }
        }
        assertTrue(changes >= 10, "it still counts down: " + changes + " changes in 30 s");
        double truth = (total - bytes) / 1_000_000.0;
        assertTrue(Math.abs(lastEta - truth) <= 2, "ETA " + lastEta + " s, truth " + truth + " s");
    }

    @Test
    void afterAResumeTheSpeedDoesNotStartLow() {
        FakeInstaller.Job job = running("m:q4");
        long kept = 60_000_000;
        job.emit(new DownloadEvent.Started("m:q4/w.gguf", kept, 100_000_000, 4));
        // Two seconds of connecting and validating the partial, reported as progress without new bytes.
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMillis(500));
            job.emit(new DownloadEvent.Progress("m:q4/w.gguf", kept, 100_000_000, 0, -1));
        }
        long bytes = kept;
        ItemSnapshot s = null;
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMillis(500));
            bytes += 1_000_000;
            job.emit(new DownloadEvent.Progress("m:q4/w.gguf", bytes, 100_000_000, 0, -1));
            s = after(0);
            assertEquals(2_000_000, s.bytesPerSecond(), 1, "2 MB/s from the first new byte on, sample " + i);
        }
        assertEquals(18, s.etaSeconds(), "36 MB left at 2 MB/s");
        assertEquals(64_000_000, s.bytesDone(), "the kept bytes count as done");
    }
}
