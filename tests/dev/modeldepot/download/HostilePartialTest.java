package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A partial file is written in place: a link planted at its name must never redirect those writes. */
@ExtendWith(StartedOrigins.class)
class HostilePartialTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    byte[] body = FaultOrigin.randomBytes(2 * MB, 11);
    byte[] foreignBytes = new byte[2 * MB];
    Path foreign;
    FaultOrigin.Resource res;
    DownloadRequest req;
    DownloadEngine.Paths paths;

    @BeforeEach
    void start() throws Exception {
        res = origin.serve("/f", body);
        Arrays.fill(foreignBytes, (byte) 'F');
        foreign = dir.resolve("foreign.bin");
        Files.write(foreign, foreignBytes);
        Path partialDir = Files.createDirectories(dir.resolve("partial"));
        req = new DownloadRequest("f.bin", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f.bin"), partialDir);
        paths = DownloadEngine.Paths.of(req);
        // A resumable state, so the engine keeps (and would write into) whatever sits at the partial's name.
        new PartialState(1, "x", PartialState.hash(origin.url("/f").toString()), body.length, res.etag(), null, MB,
                List.of(new long[] {0, MB}), 0).save(paths.state());
    }

    private void assertRefusedAndForeignUntouched() throws Exception {
        DownloadEngine engine = new DownloadEngine(DownloadSettings.defaults(Map.of()).toBuilder().segmentSize(MB).build());
        DepotException e = assertThrows(DepotException.class, () -> engine.download(req, DownloadListener.NONE, new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains(paths.part().toString()) && e.getMessage().contains("link"), e.getMessage());
        assertArrayEquals(foreignBytes, Files.readAllBytes(foreign), "not one byte written into the foreign file");
        assertFalse(Files.exists(req.target()));
    }

    @Test
    void aSymlinkPlantedAsThePartialIsRefused() throws Exception {
        Files.createSymbolicLink(paths.part(), foreign);
        assertRefusedAndForeignUntouched();
    }

    @Test
    void aHardLinkPlantedAsThePartialIsRefused() throws Exception {
        Files.createLink(paths.part(), foreign);
        assertRefusedAndForeignUntouched();
    }
}
