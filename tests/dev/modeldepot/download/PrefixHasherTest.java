package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hasher follows the completed prefix while segments fill out of order, and tells the
 * transfer the moment the whole file is hashed (the transfer's supervisor naps between checks and
 * is woken by this, so a finished download does not wait out the nap).
 */
class PrefixHasherTest {
    @TempDir
    Path dir;

    @Test
    void hashesTheWholeFileInOrderAndSaysSoOnceWhenSegmentsCompleteOutOfOrder() throws Exception {
        int size = 3 * (1 << 20) + 12_345; // four segments, the last one short
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        Segments segments = new Segments(size, 1 << 20, List.of());
        AtomicInteger told = new AtomicInteger();
        AtomicLong doneWhenTold = new AtomicLong(-1);
        try (FileChannel ch = FileChannel.open(dir.resolve("f.part"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            PrefixHasher hasher = new PrefixHasher(ch, segments, () -> {
                doneWhenTold.set(segments.bytesDone());
                told.incrementAndGet();
            });
            Thread t = new Thread(hasher, "hasher under test");
            t.start();
            for (int i : new int[] {2, 0, 3, 1}) { // a later segment first: the hasher must wait for the gap
                long from = segments.start(i);
                int length = (int) (segments.end(i) - from);
                ch.write(ByteBuffer.wrap(data, (int) from, length), from);
                segments.advance(i, length);
                Thread.sleep(20);
                if (i != 1) {
                    assertEquals(0, told.get(), "told before segment 1 (the gap) was written");
                }
            }
            t.join(10_000);
            assertTrue(hasher.finished(), "the hasher did not finish");
            assertEquals(1, told.get(), "the end must be told exactly once");
            assertEquals(size, doneWhenTold.get(), "told before every byte was on disk");
            assertEquals(size, hasher.hashed());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), hasher.hex());
        }
    }

    @Test
    void blocksHandedOverInOrderAreHashedFromMemoryAndTheRestIsReadBack() throws Exception {
        int size = 3 * StagingBuffers.ALIGN + 100;
        byte[] data = new byte[size];
        new Random(8).nextBytes(data);
        Segments segments = new Segments(size, size, List.of());
        StagingBuffers pool = new StagingBuffers(2);
        try (FileChannel ch = FileChannel.open(dir.resolve("f.part"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            PrefixHasher hasher = new PrefixHasher(ch, segments, () -> { });
            // The first two pages are handed over, and the file holds zeros there: only a hash
            // from memory gives the right digest. The rest is on disk only: it must be read back.
            int handed = 2 * StagingBuffers.ALIGN;
            ch.write(ByteBuffer.wrap(data, handed, size - handed), handed);
            assertTrue(hasher.expects(0));
            assertTrue(!hasher.expects(StagingBuffers.ALIGN), "a block that is not next must not be handed over");
            ByteBuffer block = pool.take(0, () -> false);
            block.put(0, data, 0, handed);
            hasher.handOver(new WriteBehind.Block(0, block, 0, handed, 0, new WriteBehind.Request()), pool);
            assertTrue(hasher.expects(handed), "the next block continues the handed one");
            segments.advance(0, size);
            Thread t = new Thread(hasher, "hasher under test");
            t.start();
            t.join(10_000);
            assertTrue(hasher.finished(), "the hasher did not finish");
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), hasher.hex());
            assertEquals(1, pool.free(), "the handed block's buffer was given back");
        }
    }

    @Test
    void aWriterWaitingAtTheEndOfWhatIsOnDiskSeesTheHashCatchUpEvenBySmallReads() throws Exception {
        int size = 8 << 20;
        byte[] data = new byte[size];
        new Random(9).nextBytes(data);
        Segments segments = new Segments(size, size, List.of());
        try (FileChannel ch = FileChannel.open(dir.resolve("f.part"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            PrefixHasher hasher = new PrefixHasher(ch, segments, () -> { });
            Thread t = new Thread(hasher, "hasher under test");
            t.start();
            // 1000 bytes written in place: less than the hasher reads by itself while more is due.
            ch.write(ByteBuffer.wrap(data, 0, 1000), 0);
            segments.advance(0, 1000);
            assertTrue(!hasher.expects(1000) || hasher.hashed() == 1000, "nothing hashed yet, so a block at 1000 is not next");
            assertTrue(hasher.awaitFrontier(1000, 5_000_000_000L, () -> false), "the hash did not catch up with the bytes on disk");
            assertTrue(hasher.expects(1000), "now a block at 1000 can be handed over");
            assertTrue(!hasher.awaitFrontier(4096, 50_000_000, () -> false), "bytes that are not on disk cannot be waited for");
            hasher.stop();
            t.join(10_000);
        }
    }
}
