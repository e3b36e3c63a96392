package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.FaultOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM runs the command against a throttled origin and is killed with SIGKILL
 * mid-download; a resume then fetches no more again than what was in flight.
 */
class KillResumeTest {
    static final int MB = 1 << 20;
    static final int CONNECTIONS = 4;
    static final long SEGMENT = MB; // what the engine picks for 16 MB over 4 connections

    @TempDir
    Path dir;

    @Test
    void killMinus9ThenResumeRefetchesOnlyWhatWasInFlight() throws Exception {
        killAndResume(false);
    }

    /** The same with every write past the page cache: bytes staged or queued at the kill are simply not counted. */
    @Test
    void killMinus9DuringDirectWritesThenResumeGivesTheExactFile() throws Exception {
        killAndResume(true);
    }

    void killAndResume(boolean direct) throws Exception {
        byte[] body = FaultOrigin.randomBytes(16 * MB, 99);
        try (FaultOrigin origin = FaultOrigin.start()) {
            FaultOrigin.Resource res = origin.serve("/big.bin", body).bytesPerSecond(256 * 1024);
            Path target = dir.resolve("big.bin");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "DownloadModelWithProgress",
                    "--url", origin.url("/big.bin").toString(), "-o", target.toString(), "--connections", String.valueOf(CONNECTIONS))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
            pb.environment().put("MODEL_DEPOT_DIRECT_IO", direct ? "1" : "0");
            Process child = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (origin.bytesSent("/big.bin") < 5L * MB && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(child.isAlive(), "the child was still downloading: " + Files.readString(dir.resolve("child.log")));
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no last state save
                child.waitFor(10, TimeUnit.SECONDS);
            }
            long sentBeforeKill = origin.bytesSent("/big.bin");
            assertFalse(Files.exists(target), "nothing at the target after a kill");
            PartialState state = PartialState.load(dir.resolve(".big.bin.part.json"));
            assertTrue(state != null && state.completedBytes() > 0, "state survived the kill");
            byte[] part = Files.readAllBytes(dir.resolve(".big.bin.part"));
            for (long[] range : state.completed()) {
                for (long p = range[0]; p < range[1]; p++) {
                    assertEquals(body[(int) p], part[(int) p], "the state counts byte " + p + ", which is not on disk");
                }
            }

            res.bytesPerSecond(0);
            DownloadRequest req = new DownloadRequest("big.bin", origin.url("/big.bin"), List.of(), body.length, FaultOrigin.sha256(body), target, null);
            DownloadResult r = new DownloadEngine(DownloadSettings.defaults(Map.of()).toBuilder().connections(CONNECTIONS)
                    .directWritesAbove(direct ? 0 : -1).build()).download(req, new Events(), new Cancellation());
            assertEquals(FaultOrigin.sha256(body), r.sha256());
            assertEquals(FaultOrigin.sha256(body), FaultOrigin.sha256(Files.readAllBytes(target)));

            long refetched = origin.bytesSent("/big.bin") - body.length;
            System.err.println("kill -9 at " + sentBeforeKill + " bytes sent: state had " + state.completedBytes()
                    + ", the resume fetched " + r.bytesFetched() + ", re-fetched " + refetched + " bytes");
            assertTrue(refetched <= CONNECTIONS * SEGMENT, "re-fetched " + refetched + " bytes, more than in flight (" + CONNECTIONS * SEGMENT + ")");
        }
    }
}
