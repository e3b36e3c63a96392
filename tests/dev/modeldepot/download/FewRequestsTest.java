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
 * Each range request costs CPU in the HTTP client (~1.5 ms on the 2-core bench machine), and
 * small work items share the tail when several connections fetch. Both: a connection fetching
 * alone runs one request on through the pending items; with several, each item is its own.
 */
@ExtendWith(StartedOrigins.class)
class FewRequestsTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;

    private DownloadResult fetch(byte[] body, DownloadSettings s) {
        DownloadRequest req = new DownloadRequest("m.bin", origin.url("/m.bin"), List.of(), body.length, FaultOrigin.sha256(body),
                dir.resolve("m.bin"), null);
        return new DownloadEngine(s).download(req, new Events(), new Cancellation());
    }

    @Test
    void aConnectionAloneAsksOnceForManyItems() throws Exception {
        byte[] body = FaultOrigin.randomBytes(40 * MB, 14);
        origin.serve("/m.bin", body);
        DownloadResult r = fetch(body, EngineFaultsTest.settings().toBuilder().connections(1).build()); // 1 MB items
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals(2, origin.requests("/m.bin"), "the probe, then one request for all 40 items");
        assertEquals(40 * MB, origin.bytesSent("/m.bin") - 1, "every byte sent once (after the probe's one byte)");
    }

    @Test
    void aRunStopsAtTheMostItAsksFor() throws Exception {
        int size = (int) (RangeWorker.RUN_BYTES / MB) * MB + 3 * MB;
        byte[] body = FaultOrigin.randomBytes(size, 15);
        origin.serve("/m.bin", body);
        DownloadResult r = fetch(body, EngineFaultsTest.settings().toBuilder().connections(1).segmentSize(32 * MB).build());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals(3, origin.requests("/m.bin"), "the probe, one run of " + RangeWorker.RUN_BYTES / MB + " MB, then the rest");
    }

    @Test
    void aBrokenRunResumesInTheItemItReached() throws Exception {
        byte[] body = FaultOrigin.randomBytes(12 * MB, 16);
        origin.serve("/m.bin", body).dropAfter(7 * MB + 12345, 1); // inside the eighth 1 MB item of the run
        DownloadResult r = fetch(body, EngineFaultsTest.settings().toBuilder().connections(1).build());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals(3, origin.requests("/m.bin"), "the probe, the broken run, then one request for the rest");
        assertTrue(origin.bytesSent("/m.bin") - 1 <= 12 * MB + 12345 + BodySink.BLOCK, origin.bytesSent("/m.bin")
                + " bytes sent: the second request starts where the first one's bytes ended, not at an item's start before it");
    }

    @Test
    void aRunEndsWhereAConnectionAddedLaterBegins() throws Exception {
        byte[] body = FaultOrigin.randomBytes(12 * MB, 18);
        origin.serve("/m.bin", body).bytesPerSecond(4L * MB); // slow per connection: the ramp adds connections after 1 s
        Events events = new Events();
        DownloadRequest req = new DownloadRequest("m.bin", origin.url("/m.bin"), List.of(), body.length, FaultOrigin.sha256(body),
                dir.resolve("m.bin"), null);
        DownloadResult r = new DownloadEngine(EngineFaultsTest.settings()).download(req, events, new Cancellation());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertTrue(origin.requests("/m.bin") > 2, origin.requests("/m.bin") + " requests: the connections added later took items of the run");
        assertEquals("bytes=0-" + (12 * MB - 1), ranges().get(1), "the first request after the probe asked for the whole file as one run");
        assertTrue(origin.bytesSent("/m.bin") <= 14 * MB, origin.bytesSent("/m.bin") + " bytes sent: only what was on its way when the run ended is fetched twice (the rest of the run would be ~8 MB)");
    }

    @Test
    void severalConnectionsShareSmallItems() throws Exception {
        byte[] body = FaultOrigin.randomBytes(16 * MB, 17);
        origin.serve("/m.bin", body);
        DownloadResult r = fetch(body, EngineFaultsTest.settings().toBuilder().connections(4).build());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertTrue(origin.requests("/m.bin") >= 17, origin.requests("/m.bin") + " requests: with four connections the items are shared");
        for (String range : ranges().subList(1, ranges().size())) {
            long[] fromTo = java.util.Arrays.stream(range.substring(6).split("-")).mapToLong(Long::parseLong).toArray();
            assertTrue(fromTo[1] - fromTo[0] + 1 <= MB, range + ": with four connections made at once no request runs on past its 1 MB item");
        }
    }

    @Test
    void aServerThatCapsRangeAnswersIsFollowedWithoutRetries() throws Exception {
        byte[] body = FaultOrigin.randomBytes(10 * MB, 19);
        origin.serve("/m.bin", body).capRanges(3 * MB + 777); // a proxy that answers at most ~3 MB per range
        Events events = new Events();
        DownloadRequest req = new DownloadRequest("m.bin", origin.url("/m.bin"), List.of(), body.length, FaultOrigin.sha256(body),
                dir.resolve("m.bin"), null);
        DownloadResult r = new DownloadEngine(EngineFaultsTest.settings().toBuilder().connections(1).build()).download(req, events, new Cancellation());
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals("", events.retryReasons(), "a short answer is not a failure");
        assertEquals(10 * MB, origin.bytesSent("/m.bin") - 1, "every byte once");
    }

    /** The Range header of every request, in order. */
    private List<String> ranges() {
        return origin.recorded("/m.bin").stream().map(q -> q.header("Range")).toList();
    }

    @Test
    void workItemsAreEightPerConnectionBetweenOneAnd32Megabytes() {
        DownloadSettings s = DownloadSettings.defaults(Map.of());
        assertEquals(8L * MB, s.segmentSizeFor(1024L * MB, 16), "1 GiB over 16 connections: 128 items of 8 MB");
        assertEquals(32L * MB, s.segmentSizeFor(100_000L * MB, 16), "the cap bounds what a slow connection holds up at the end");
        assertEquals(MB, s.segmentSizeFor(3L * MB, 4), "never below 1 MB");
        assertEquals(5L * MB, s.toBuilder().segmentSize(5L * MB).build().segmentSizeFor(1024L * MB, 16), "a set size wins");
    }
}
