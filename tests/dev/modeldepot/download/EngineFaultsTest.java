package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The failures PEERS.md lists, each against a real origin that injects it. */
@ExtendWith(StartedOrigins.class)
class EngineFaultsTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    Events events = new Events();

    static DownloadSettings settings() {
        return DownloadSettings.defaults(Map.of()).toBuilder().retries(4).stallTimeout(Duration.ofSeconds(2)).segmentSize(MB).build();
    }

    DownloadResult fetch(DownloadSettings s, String path, byte[] body, boolean withHash) {
        DownloadRequest req = new DownloadRequest("f.bin", origin.url(path), List.of(), body.length,
                withHash ? FaultOrigin.sha256(body) : null, dir.resolve("f.bin"), null);
        return new DownloadEngine(s).download(req, events, new Cancellation());
    }

    void assertOnlyTarget(byte[] body) throws Exception {
        assertEquals(FaultOrigin.sha256(body), FaultOrigin.sha256(Files.readAllBytes(dir.resolve("f.bin"))));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("f.bin"), files.map(p -> p.getFileName().toString()).toList(), "no partial, state or lock left behind");
        }
    }

    @Test
    void parallelRangesGiveTheExactFileAndEventsInOrder() throws Exception {
        byte[] body = FaultOrigin.randomBytes(6 * MB + 123, 1);
        origin.serve("/f", body);
        DownloadResult r = fetch(settings().toBuilder().connections(4).build(), "/f", body, true);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals(body.length, r.bytesFetched());
        assertOnlyTarget(body);
        assertTrue(origin.requests("/f") >= 7, "probe plus one request per segment");
        List<String> kinds = events.all.stream().map(e -> e.getClass().getSimpleName()).distinct().toList();
        assertEquals("Queued", kinds.get(0));
        assertEquals("Started", kinds.get(1));
        assertEquals(List.of("Verified", "Completed"), kinds.subList(kinds.size() - 2, kinds.size()));
    }

    @Test
    void rangedRequestAnsweredWith200FallsBackToOneStreamWithoutMixingBytes() throws Exception {
        byte[] body = FaultOrigin.randomBytes(5 * MB, 2);
        origin.serve("/f", body).ignoreRange(true);
        DownloadResult r = fetch(settings().toBuilder().connections(4).build(), "/f", body, true);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertOnlyTarget(body);
    }

    @Test
    void rangeIgnoredOnlyAfterPartialDataStartsOverFromZero() throws Exception {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 3);
        FaultOrigin.Resource res = origin.serve("/f", body);
        res.dropAfter(MB / 2, 1);
        // The first response breaks; from then on the "CDN" ignores ranges.
        Thread flip = new Thread(() -> {
            while (origin.bytesSent("/f") < MB / 4) {
                Thread.onSpinWait();
            }
            res.ignoreRange(true);
        });
        flip.start();
        DownloadResult r = fetch(settings().toBuilder().connections(1).build(), "/f", body, true);
        flip.join();
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertOnlyTarget(body);
    }

    @Test
    void stalePartialAnswered416StartsOverCleanly() throws Exception {
        byte[] big = FaultOrigin.randomBytes(4 * MB, 4);
        byte[] small = FaultOrigin.randomBytes(MB, 5);
        FaultOrigin.Resource res = origin.serve("/f", big);
        // A saved state that says the first 3 MB are done, for a file that has since shrunk.
        DownloadRequest req = new DownloadRequest("f.bin", origin.url("/f"), List.of(), -1, null, dir.resolve("f.bin"), null);
        DownloadEngine.Paths p = DownloadEngine.Paths.of(req);
        Files.write(p.part(), big);
        new PartialState(1, "x", PartialState.hash(origin.url("/f").toString()), 4 * MB, res.etag(), null, MB,
                List.of(new long[] {0, 3L * MB}), 0).save(p.state());
        res.content(small).etag(res.etag()); // same ETag (a broken origin), so only the 416 tells
        DownloadResult r = new DownloadEngine(settings()).download(req, events, new Cancellation());
        assertEquals(FaultOrigin.sha256(small), r.sha256());
        assertTrue(events.retryReasons().contains("starting over"), events.retryReasons());
        assertOnlyTarget(small);
    }

    @Test
    void etagChangeBetweenRunsRestartsTheFile() throws Exception {
        byte[] v1 = FaultOrigin.randomBytes(4 * MB, 6);
        byte[] v2 = FaultOrigin.randomBytes(4 * MB, 7);
        FaultOrigin.Resource res = origin.serve("/f", v1);
        DownloadRequest req = new DownloadRequest("f.bin", origin.url("/f"), List.of(), -1, null, dir.resolve("f.bin"), null);
        DownloadEngine.Paths p = DownloadEngine.Paths.of(req);
        Files.write(p.part(), v1);
        new PartialState(1, "x", PartialState.hash(origin.url("/f").toString()), 4 * MB, res.etag(), null, MB,
                List.of(new long[] {0, 2L * MB}), 0).save(p.state());
        res.content(v2);
        DownloadResult r = new DownloadEngine(settings()).download(req, events, new Cancellation());
        assertEquals(FaultOrigin.sha256(v2), r.sha256(), "no bytes of the old version mixed in");
        assertTrue(events.retryReasons().contains("changed on the server"), events.retryReasons());
        assertOnlyTarget(v2);
    }

    @Test
    void etagChangeMidDownloadRestartsCleanly() throws Exception {
        byte[] v1 = FaultOrigin.randomBytes(4 * MB, 8);
        byte[] v2 = FaultOrigin.randomBytes(4 * MB, 9);
        FaultOrigin.Resource res = origin.serve("/f", v1).bytesPerSecond(2L * MB);
        Thread flip = new Thread(() -> {
            while (origin.bytesSent("/f") < MB) {
                Thread.onSpinWait();
            }
            res.content(v2).bytesPerSecond(0);
        });
        flip.start();
        DownloadResult r = fetch(settings().toBuilder().connections(2).build(), "/f", v2, true);
        flip.join();
        assertEquals(FaultOrigin.sha256(v2), r.sha256());
        assertOnlyTarget(v2);
    }

    @Test
    void stalledConnectionIsCancelledAndItsRangeRequeued() throws Exception {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 10);
        origin.serve("/f", body).stallAfter(64 * 1024, 2);
        DownloadResult r = fetch(settings().toBuilder().connections(2).stallTimeout(Duration.ofMillis(700)).build(), "/f", body, true);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertTrue(events.retryReasons().contains("no data from"), events.retryReasons());
        assertOnlyTarget(body);
    }

    @Test
    void serviceUnavailableHonoursRetryAfter() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 11);
        origin.serve("/f", body).failWith(503, 2, "1");
        DownloadResult r = fetch(settings(), "/f", body, true);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        List<DownloadEvent.Retry> retries = events.of(DownloadEvent.Retry.class);
        assertEquals(2, retries.size(), events.retryReasons());
        retries.forEach(e -> assertEquals(1000, e.delayMillis(), "Retry-After: 1 means one second"));
        assertTrue(retries.get(0).reason().contains("503"));
    }

    @Test
    void tooManyRequestsIsRetriedToo() throws Exception {
        byte[] body = FaultOrigin.randomBytes(MB, 12);
        origin.serve("/f", body).failWith(429, 1, "0");
        fetch(settings(), "/f", body, true);
        assertOnlyTarget(body);
        assertEquals(1, events.of(DownloadEvent.Retry.class).size());
    }

    @Test
    void droppedConnectionsResumeWhereTheyBroke() throws Exception {
        byte[] body = FaultOrigin.randomBytes(8 * MB, 13);
        origin.serve("/f", body).dropAfter(300_000, 3);
        DownloadResult r = fetch(settings().toBuilder().connections(2).build(), "/f", body, true);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        // Each broken response delivered up to 300 kB that was kept, not fetched again.
        assertTrue(origin.bytesSent("/f") <= body.length + 1 + 3 * 16 * 1024, "re-fetched only what was in flight: " + origin.bytesSent("/f"));
        assertOnlyTarget(body);
    }

    @Test
    void wrongBytesAreFetchedTwiceThenExit3WithNothingAtTheTarget() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 14);
        origin.serve("/f", body).wrongBytes(1000);
        DepotException e = assertThrows(DepotException.class, () -> fetch(settings(), "/f", body, true));
        assertEquals(ExitCode.INTEGRITY, e.exitCode());
        assertFalse(Files.exists(dir.resolve("f.bin")), "nothing at the target");
        assertTrue(origin.bytesSent("/f") >= 2L * body.length, "fetched twice: " + origin.bytesSent("/f"));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "corrupt bytes not kept as a partial");
        }
        assertEquals(1, events.of(DownloadEvent.Failed.class).size());
    }

    @Test
    void wrongBytesOnceAreRepairedByTheFreshRetry() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 15);
        origin.serve("/f", body).wrongBytes(1);
        DownloadResult r = fetch(settings().toBuilder().connections(1).segmentSize(8 * MB).build(), "/f", body, true);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertTrue(events.retryReasons().contains("SHA-256"), events.retryReasons());
        assertOnlyTarget(body);
    }

    @Test
    void truncatedFileOnTheServerIsAnIntegrityFailure() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 * MB, 16);
        origin.serve("/f", body).truncate(MB);
        DepotException e = assertThrows(DepotException.class, () -> fetch(settings(), "/f", body, true));
        assertEquals(ExitCode.INTEGRITY, e.exitCode());
        assertFalse(Files.exists(dir.resolve("f.bin")));
    }

    @Test
    void truncatedBodyIsNoticedAndCompleted() throws Exception {
        byte[] body = FaultOrigin.randomBytes(3 * MB, 17);
        origin.serve("/f", body).dropAfter(MB / 3, 1);
        DownloadResult r = fetch(settings().toBuilder().connections(1).segmentSize(4 * MB).build(), "/f", body, false);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertTrue(events.retryReasons().contains("broke after") || events.retryReasons().contains("ended early"), events.retryReasons());
    }

    @Test
    void notFoundFailsAtOnceWithoutRetries() {
        DepotException e = assertThrows(DepotException.class, () -> fetch(settings(), "/missing", new byte[10], false));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertEquals(1, origin.requests("/missing"));
        assertNull(events.of(DownloadEvent.Retry.class).stream().findFirst().orElse(null));
    }

    @Test
    void forbiddenHintsAtTokens() {
        origin.serve("/f", new byte[10]).failWith(403, 10, null);
        DepotException e = assertThrows(DepotException.class, () -> fetch(settings(), "/f", new byte[10], false));
        assertTrue(e.getMessage().contains("--token or HF_TOKEN"), e.getMessage());
        assertEquals(1, origin.requests("/f"));
    }

    @Test
    void mirrorIsUsedWhenThePrimaryFails() throws Exception {
        byte[] body = FaultOrigin.randomBytes(MB, 18);
        origin.serve("/mirror", body);
        origin.serve("/primary", body).failWith(500, 100, null);
        DownloadRequest req = new DownloadRequest("f.bin", origin.url("/primary"), List.of(origin.url("/mirror")), body.length,
                FaultOrigin.sha256(body), dir.resolve("f.bin"), null);
        new DownloadEngine(settings().toBuilder().retries(1).build()).download(req, events, new Cancellation());
        assertOnlyTarget(body);
        assertTrue(events.retryReasons().contains("trying a mirror"), events.retryReasons());
    }

    @Test
    void exhaustedRetriesFailWithExit1AndKeepThePartial() {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 19);
        origin.serve("/f", body).dropAfter(MB / 2, 1).failWith(503, 0, null);
        FaultOrigin.Resource res = origin.serve("/f", body);
        res.dropAfter(MB / 2, 1);
        Thread breaker = new Thread(() -> {
            while (origin.bytesSent("/f") < MB / 4) {
                Thread.onSpinWait();
            }
            res.failWith(503, 1000, null);
        });
        breaker.start();
        DepotException e = assertThrows(DepotException.class, () -> fetch(settings().toBuilder().retries(1).connections(1).build(), "/f", body, true));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertFalse(Files.exists(dir.resolve("f.bin")));
        assertTrue(Files.exists(dir.resolve(".f.bin.part")), "partial kept for a resume");
        assertTrue(Files.exists(dir.resolve(".f.bin.part.json")));
    }
}
