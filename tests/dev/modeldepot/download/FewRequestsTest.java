package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each range request costs CPU in the HTTP client (~1.5 ms on the 2-core bench machine): when the
 * size decides, a file is cut into at most two work items per connection, no larger than 32 MB.
 */
@ExtendWith(StartedOrigins.class)
class FewRequestsTest {
    static final long MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;

    @Test
    void aFileTakesAtMostTwoRequestsPerConnection() throws Exception {
        int size = (int) (64 * MB);
        byte[] body = FaultOrigin.randomBytes(size, 14);
        origin.serve("/m.bin", body);
        DownloadSettings s = DownloadSettings.defaults(Map.of());
        DownloadRequest req = new DownloadRequest("m.bin", origin.url("/m.bin"), List.of(), size, FaultOrigin.sha256(body),
                dir.resolve("m.bin"), null);
        DownloadResult r = new DownloadEngine(s).download(req, new Events(), new Cancellation());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        int conns = s.connectionsFor(size);
        assertTrue(origin.requests("/m.bin") <= 2 * conns + 1, origin.requests("/m.bin") + " requests for 64 MB over at most "
                + conns + " connections (the probe, then two ranges each at most)");
    }

    @Test
    void workItemsAreTwoPerConnectionBetweenOneAnd32Megabytes() {
        DownloadSettings s = DownloadSettings.defaults(Map.of());
        assertEquals(32 * MB, s.segmentSizeFor(1024 * MB, 16), "1 GiB over 16 connections: 32 items of 32 MB");
        assertEquals(32 * MB, s.segmentSizeFor(100_000 * MB, 16), "the cap bounds what a slow connection holds up at the end");
        assertEquals(4 * MB, s.segmentSizeFor(64 * MB, 8));
        assertEquals(MB, s.segmentSizeFor(3 * MB, 4), "never below 1 MB");
        assertEquals(5 * MB, s.toBuilder().segmentSize(5 * MB).build().segmentSizeFor(1024 * MB, 16), "a set size wins");
    }
}
