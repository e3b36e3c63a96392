package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import dev.modeldepot.testing.Requires;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large files are written past the page cache (O_DIRECT) in whole pages, with the hasher fed
 * from memory; partial pages, other connections' out-of-order blocks and file systems that
 * refuse O_DIRECT go the ordinary way, and the file is exact whichever way each byte went.
 * The file is opened twice, so a recording {@link PartialWriter} tells the two ways apart: the
 * in-place channel is the one that gets the one-byte sparse preallocation at the file's end.
 */
@ExtendWith(StartedOrigins.class)
class DirectWritesTest {
    static final int MB = 1 << 20;
    static final int PAGE = StagingBuffers.ALIGN;
    @TempDir
    Path temp;
    /** Where the downloads go: the temp dir, or a folder under target/ if the temp dir refuses O_DIRECT (an old tmpfs). */
    Path dir;
    FaultOrigin origin;

    @BeforeEach
    void aDirectoryThatTakesODirect() throws IOException {
        dir = temp;
        if (!takesDirect(dir)) {
            dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "direct-writes")), "t");
        }
        if (!takesDirect(dir)) {
            Requires.skipLoudlyOrFailInCi("*** neither " + temp + " nor target/ accepts O_DIRECT: these tests need a disk file system ***",
                    " CI must run on one.");
        }
    }

    static boolean takesDirect(Path folder) throws IOException {
        Path probe = Files.createTempFile(folder, "probe", "");
        try (FileChannel ch = Transfer.openDirect(probe)) {
            return ch != null;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Every write, by channel, as {position, length}; optionally failing like a file system or a full disk. */
    static final class Recorder implements PartialWriter {
        final Map<FileChannel, List<long[]>> writes = new ConcurrentHashMap<>();
        final List<FileChannel> order = new CopyOnWriteArrayList<>();
        volatile String failDirect; // thrown once by the first write on the second channel
        volatile long fullAfter = Long.MAX_VALUE; // "No space left on device" past this many bytes
        volatile boolean errorOnDirect; // every O_DIRECT write throws an Error
        volatile long slowFailFrom = Long.MAX_VALUE; // writes this large wait 300 ms, then fail like a full disk
        final AtomicLong written = new AtomicLong();

        @Override
        public void write(FileChannel ch, ByteBuffer b, long pos) throws IOException {
            if (!order.contains(ch)) {
                order.add(ch);
            }
            if (written.addAndGet(b.remaining()) > fullAfter) {
                throw new IOException("No space left on device");
            }
            if (b.remaining() >= slowFailFrom) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("No space left on device");
            }
            if (errorOnDirect && order.indexOf(ch) == 1) {
                throw new AssertionError("a bug in a writer"); // an Error, not an IOException
            }
            String fail = failDirect;
            if (fail != null && order.indexOf(ch) == 1) {
                failDirect = null;
                throw new IOException(fail);
            }
            writes.computeIfAbsent(ch, c -> new CopyOnWriteArrayList<>()).add(new long[] {pos, b.remaining()});
            PartialWriter.DIRECT.write(ch, b, pos);
        }

        List<long[]> inPlace() {
            return writes.getOrDefault(order.get(0), List.of());
        }

        List<long[]> direct() {
            return order.size() < 2 ? List.of() : writes.getOrDefault(order.get(1), List.of());
        }

        long bytes(List<long[]> w) {
            return w.stream().mapToLong(x -> x[1]).sum();
        }
    }

    DownloadResult fetch(byte[] body, DownloadSettings s) {
        DownloadRequest req = new DownloadRequest("f", origin.url("/f"), List.of(), body.length, FaultOrigin.sha256(body), dir.resolve("f"), null);
        return new DownloadEngine(s).download(req, new Events(), new Cancellation());
    }

    static DownloadSettings settings(Recorder r, int connections) {
        return EngineFaultsTest.settings().toBuilder().writer(r).connections(connections).segmentSize(4 * MB).directWritesAbove(0).build();
    }

    void assertExact(byte[] body, DownloadResult r) throws IOException {
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals(FaultOrigin.sha256(body), FaultOrigin.sha256(Files.readAllBytes(dir.resolve("f"))));
    }

    static void assertWholePages(List<long[]> direct) {
        for (long[] w : direct) {
            assertTrue(w[0] % PAGE == 0 && w[1] % PAGE == 0, "an O_DIRECT write of " + w[1] + " bytes at " + w[0] + " is not whole pages");
        }
    }

    @AfterEach
    void everyStagingBlockIsGivenBack() throws InterruptedException {
        StagingBuffers pool = StagingBuffers.SHARED;
        for (int i = 0; i < 100 && pool.free() != pool.made(); i++) {
            Thread.sleep(50); // a stopped connection's pump may still be handing its last block back
        }
        assertEquals(pool.made(), pool.free(), "staging blocks leaked");
    }

    @Test
    void aLargeFileGoesPastThePageCacheInWholePagesAndOnlyItsLastPartialPageThroughIt() throws Exception {
        byte[] body = FaultOrigin.randomBytes(10 * MB + 123, 11);
        origin.serve("/f", body);
        Recorder rec = new Recorder();
        assertExact(body, fetch(body, settings(rec, 1)));
        assertWholePages(rec.direct());
        // Exactly all whole pages on a quiet machine; a slow moment may hand a block on early
        // (every 250 ms) or find no free block, and those bytes go the ordinary way.
        assertTrue(rec.bytes(rec.direct()) >= 8 * MB, "most of the file is written with O_DIRECT: " + rec.bytes(rec.direct()));
        assertTrue(rec.inPlace().stream().anyMatch(w -> w[0] + w[1] == body.length && w[1] < PAGE && w[0] % PAGE == 0),
                "the partial last page goes through the page cache");
    }

    @Test
    void aFileAtOrBelowTheThresholdIsWrittenInPlace() throws Exception {
        byte[] body = FaultOrigin.randomBytes(3 * MB, 12);
        origin.serve("/f", body);
        Recorder rec = new Recorder();
        assertExact(body, fetch(body, settings(rec, 1).toBuilder().directWritesAbove(body.length).build()));
        assertEquals(1, rec.order.size(), "one channel only");
        assertEquals(-1, DownloadSettings.directWritesAbove("0"));
        assertEquals(0, DownloadSettings.directWritesAbove("1"));
        assertEquals(DownloadSettings.DIRECT_WRITES_ABOVE, DownloadSettings.directWritesAbove(null));
        DepotException e = assertThrows(DepotException.class, () -> DownloadSettings.directWritesAbove("yes"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    }

    @Test
    void aBrokenConnectionResumesFromAnOddOffsetAndTheFileIsExact() throws Exception {
        byte[] body = FaultOrigin.randomBytes(9 * MB + 5, 13);
        origin.serve("/f", body).dropAfter(3 * MB + 777, 1); // the retry starts mid-page
        Recorder rec = new Recorder();
        assertExact(body, fetch(body, settings(rec, 1)));
        assertWholePages(rec.direct());
        assertTrue(rec.bytes(rec.direct()) >= 6 * MB, "the rest still went past the page cache: " + rec.bytes(rec.direct()));
    }

    @Test
    void outOfOrderBlocksOfOtherConnectionsGoThroughThePageCacheAndTheFileIsExact() throws Exception {
        byte[] body = FaultOrigin.randomBytes(24 * MB + 4097, 14);
        origin.serve("/f", body);
        Recorder rec = new Recorder();
        DownloadSettings s = settings(rec, 4).toBuilder().segmentSize(MB + 100).build(); // segments not page-aligned either
        assertExact(body, fetch(body, s));
        assertWholePages(rec.direct());
        assertTrue(rec.bytes(rec.direct()) > 0, "the block the hasher needs next went O_DIRECT");
        assertTrue(rec.bytes(rec.inPlace()) > MB, "blocks ahead of the hasher went through the page cache");
    }

    @Test
    void aFileSystemThatRefusesODirectMidwayGetsOrdinaryWritesAndAnExactFile() throws Exception {
        byte[] body = FaultOrigin.randomBytes(12 * MB, 15);
        origin.serve("/f", body);
        Recorder rec = new Recorder();
        rec.failDirect = "Invalid argument";
        assertExact(body, fetch(body, settings(rec, 1)));
        assertEquals(2, rec.order.size(), "O_DIRECT was tried");
        assertTrue(rec.direct().isEmpty(), "O_DIRECT is not tried again after the file system refused it");
    }

    @Test
    void aFullDiskDuringDirectWritesStopsCleanlyKeepsThePartialAndResumes() throws Exception {
        byte[] body = FaultOrigin.randomBytes(16 * MB, 16);
        origin.serve("/f", body);
        Recorder rec = new Recorder();
        rec.fullAfter = 6L * MB;
        DepotException e = assertThrows(DepotException.class, () -> fetch(body, settings(rec, 2)));
        assertEquals(2, rec.order.size(), "O_DIRECT was in use");
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("f")));
        assertTrue(Files.exists(dir.resolve(".f.part")), "partial kept");
        long before = origin.bytesSent("/f");
        assertExact(body, fetch(body, settings(new Recorder(), 2)));
        assertTrue(origin.bytesSent("/f") - before < body.length, "the resume kept what was written");
    }

    @Test
    void noBlockFreeMeansWritesInPlaceAndAnExactFile() throws Exception {
        byte[] body = FaultOrigin.randomBytes(6 * MB + 7, 17);
        origin.serve("/f", body);
        List<ByteBuffer> held = holdAllBlocksBut(0);
        Recorder rec = new Recorder();
        try {
            assertExact(body, fetch(body, settings(rec, 1)));
        } finally {
            held.forEach(StagingBuffers.SHARED::give);
        }
        assertTrue(rec.direct().isEmpty(), "nothing staged, so nothing written with O_DIRECT");
    }

    @Test
    void bytesAfterALostBlockAreNeverCountedSoTheStateOnlyNamesBytesOnDisk() throws Exception {
        byte[] body = FaultOrigin.randomBytes(16 * MB, 18);
        origin.serve("/f", body);
        // One free block: the first 4 MB are staged; the writer takes 300 ms to fail them (a full
        // disk), so meanwhile the pump finds no block and writes in place after the lost block.
        List<ByteBuffer> held = holdAllBlocksBut(1);
        Recorder rec = new Recorder();
        rec.slowFailFrom = MB;
        try {
            DepotException e = assertThrows(DepotException.class,
                    () -> fetch(body, settings(rec, 1).toBuilder().segmentSize(16 * MB).build()));
            assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
        } finally {
            held.forEach(StagingBuffers.SHARED::give);
        }
        PartialState state = PartialState.load(dir.resolve(".f.part.json"));
        byte[] part = Files.readAllBytes(dir.resolve(".f.part"));
        for (long[] r : state == null ? List.<long[]>of() : state.completed()) {
            for (long p = r[0]; p < r[1]; p++) {
                assertEquals(body[(int) p], part[(int) p], "the state counts byte " + p + ", which is not on disk");
            }
        }
        long before = origin.bytesSent("/f");
        assertExact(body, fetch(body, settings(new Recorder(), 1)));
        assertTrue(origin.bytesSent("/f") - before <= body.length + 1024, "the resume needed no second fresh download (1 KB for the probe)");
    }

    @Test
    void anErrorInTheWriterFailsTheDownloadInsteadOfLeavingItWaiting() {
        byte[] body = FaultOrigin.randomBytes(12 * MB, 19);
        origin.serve("/f", body);
        Recorder rec = new Recorder();
        rec.errorOnDirect = true;
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(Throwable.class, () -> fetch(body, settings(rec, 1))));
        assertFalse(Files.exists(dir.resolve("f")), "nothing at the final path: " + t);
    }

    /** Takes every free staging block but {@code leave}, so a download finds the pool (nearly) empty. */
    static List<ByteBuffer> holdAllBlocksBut(int leave) {
        List<ByteBuffer> held = new ArrayList<>();
        for (ByteBuffer b; (b = StagingBuffers.SHARED.take(0, () -> false)) != null; ) {
            held.add(b);
        }
        for (int k = 0; k < leave && !held.isEmpty(); k++) {
            StagingBuffers.SHARED.give(held.remove(held.size() - 1));
        }
        return held;
    }
}
