package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk: refused up front when the free space is known to be short, and stopped cleanly
 * (partial kept, exit 1) when it fills up mid-way. Uses a real 4 MB tmpfs where the test may
 * mount one (root), and always also a writer that fails like a full disk does.
 */
@ExtendWith(StartedOrigins.class)
class DiskFullTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    Path small;
    boolean mounted;

    @BeforeEach
    void start() throws Exception {
        small = Files.createDirectories(dir.resolve("small"));
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString()).redirectErrorStream(true).start();
            mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            mounted = false;
        }
        if (!mounted) {
            System.err.println("DiskFullTest: cannot mount a tmpfs here (not root?); only the injected full-disk test runs");
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", small.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void notEnoughFreeSpaceIsRefusedBeforeStarting() {
        if (!mounted) {
            return; // covered by the injected test below on machines where mounting is impossible
        }
        byte[] body = FaultOrigin.randomBytes(8 * MB, 1);
        origin.serve("/f", body);
        DownloadRequest req = new DownloadRequest("f", origin.url("/f"), List.of(), body.length, null, small.resolve("f"), null);
        DepotException e = assertThrows(DepotException.class, () -> new DownloadEngine(EngineFaultsTest.settings()).download(req, new Events(), new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains(small.toString()) && e.getMessage().contains("needs 8.4 MB") && e.getMessage().contains("free"), e.getMessage());
        assertTrue(origin.bytesSent("/f") <= 1, "nothing fetched");
    }

    @Test
    void realDiskFillingUpStopsCleanlyAndKeepsThePartial() throws Exception {
        if (!mounted) {
            return;
        }
        byte[] body = FaultOrigin.randomBytes(8 * MB, 2);
        origin.serve("/f", body);
        DownloadRequest req = new DownloadRequest("f", origin.url("/f"), List.of(), body.length, null, small.resolve("f"), null);
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(EngineFaultsTest.settings().toBuilder().checkFreeSpace(false).connections(1).build()).download(req, new Events(), new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
        assertFalse(Files.exists(small.resolve("f")));
        assertTrue(Files.exists(small.resolve(".f.part")), "partial kept");
    }

    @Test
    void injectedFullDiskStopsCleanlyAndResumesLater() throws Exception {
        byte[] body = FaultOrigin.randomBytes(6 * MB, 3);
        origin.serve("/f", body);
        AtomicLong written = new AtomicLong();
        PartialWriter fillsUp = (ch, buf, pos) -> {
            if (written.addAndGet(buf.remaining()) > 3L * MB) {
                throw new IOException("No space left on device");
            }
            PartialWriter.DIRECT.write(ch, buf, pos);
        };
        DownloadRequest req = new DownloadRequest("f", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f"), null);
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(EngineFaultsTest.settings().toBuilder().writer(fillsUp).connections(2).build()).download(req, new Events(), new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("disk is full") && e.getMessage().contains("run the same command again"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("f")));
        assertTrue(Files.exists(dir.resolve(".f.part")));
        long before = origin.bytesSent("/f");
        DownloadResult r = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(2).build()).download(req, new Events(), new Cancellation());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertTrue(origin.bytesSent("/f") - before < body.length, "the resume kept what was written");
    }
}
