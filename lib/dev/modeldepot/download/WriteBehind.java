package dev.modeldepot.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the connections' staged blocks into the partial file on one thread of its own, so a
 * connection reads on while its last block goes to disk. A block that is the very next thing the
 * hasher needs is handed to it after the write: the hasher hashes it from memory, and the block
 * is written with {@code O_DIRECT}, past the page cache. Every other block is written through the
 * page cache, where the hasher reads it back later. A segment counts bytes only once they are
 * written, so the state file and the hasher never count bytes still in memory.
 *
 * <p>Why: on this project's 2-core bench machine, copying a download through the page cache and
 * reading it back cost more CPU than the SHA-256 (docs/design/download.md, round 4).
 */
final class WriteBehind implements Runnable {
    /**
     * Bytes {@code [from, to)} of {@code buffer} belong at file position {@code position} (of
     * byte {@code from}); {@code from} is that position modulo {@link StagingBuffers#ALIGN}, so
     * the buffer's aligned offsets are the file's aligned positions.
     */
    record Block(int segment, ByteBuffer buffer, int from, int to, long position, Request request) {
        int length() {
            return to - from;
        }

        ByteBuffer bytes() {
            return buffer.duplicate().limit(to).position(from);
        }
    }

    /**
     * One request's blocks not yet written: its worker waits for them before it counts or gives
     * back its segment. A block that failed or was dropped marks the request lost: nothing after
     * it may be written and counted, or the segment's count would cover a hole.
     */
    static final class Request {
        private final AtomicInteger unwritten = new AtomicInteger();
        private volatile boolean lost;

        void submitted() {
            unwritten.incrementAndGet();
        }

        void written() {
            unwritten.decrementAndGet();
        }

        void lost() {
            lost = true;
            unwritten.decrementAndGet();
        }

        boolean allWritten() {
            return unwritten.get() == 0;
        }

        boolean isLost() {
            return lost;
        }
    }

    private final LinkedBlockingQueue<Block> queue = new LinkedBlockingQueue<>();
    private final FileChannel channel;
    /** The same file opened with O_DIRECT, or null where the file system refuses it (tmpfs). */
    private volatile FileChannel direct;
    private final PartialWriter writer;
    private final Segments segments;
    private final PrefixHasher hasher;
    private final AtomicLong fetched;
    private final StagingBuffers buffers;
    private final AtomicBoolean attemptStop;
    private final AtomicReference<Throwable> fatal;
    private volatile boolean finish;
    private volatile boolean dead;
    private volatile long lastQueuedEnd = -1;

    WriteBehind(FileChannel channel, FileChannel direct, PartialWriter writer, Segments segments, PrefixHasher hasher,
                AtomicLong fetched, StagingBuffers buffers, AtomicBoolean attemptStop, AtomicReference<Throwable> fatal) {
        this.channel = channel;
        this.direct = direct;
        this.writer = writer;
        this.segments = segments;
        this.hasher = hasher;
        this.fetched = fetched;
        this.buffers = buffers;
        this.attemptStop = attemptStop;
        this.fatal = fatal;
    }

    /** Where the last queued block ends: a request starting there continues the chain the hasher takes from memory. */
    long lastQueuedEnd() {
        return lastQueuedEnd;
    }

    /** Queues a block; after a failure the block is dropped (its bytes simply are not counted). */
    void submit(Block b) {
        lastQueuedEnd = b.position() + b.length();
        b.request().submitted();
        queue.add(b);
        if (dead) {
            drain();
        }
    }

    /**
     * Waits until every block of {@code r} is written, or the writing failed or ended; false then
     * (the bytes still in memory are not counted, so nothing is lost but time).
     */
    boolean awaitWritten(Request r) {
        while (!r.allWritten()) {
            if (dead) {
                drain(); // a block queued after the writer's last look is not waited for in vain
                return r.allWritten() && !r.isLost();
            }
            if (attemptStop.get() && queue.isEmpty()) {
                return false; // stopping, and the block in the writer's hands is not waited for
            }
            LockSupport.parkNanos(200_000);
        }
        return !r.isLost();
    }

    /** Writes what is queued, then ends. */
    void finish() {
        finish = true;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Block b = queue.poll(20, TimeUnit.MILLISECONDS);
                if (b == null) {
                    if (finish) {
                        return;
                    }
                    continue;
                }
                write(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // an Error too: a writer that dies silently would leave the attempt waiting
            fatal.compareAndSet(null, e);
            attemptStop.set(true);
        } finally {
            dead = true;
            drain();
        }
    }

    /**
     * How long a block may wait for the hasher to read back the bytes before it (written in
     * place, or after a gap in the chain): without the wait, at loopback speed the writer stays
     * ahead of the read-back and no block would be handed over again.
     */
    static final long CATCH_UP_NANOS = 200_000_000;
    /**
     * Only this far behind is waited for (the hasher reads that much in well under 200 ms): a
     * resumed file's hash starts from byte 0 and may be gigabytes behind.
     */
    static final long CATCH_UP_BYTES = 32L << 20;
    private final int[] prefixHint = {0};

    private void write(Block b) throws IOException {
        boolean handOver = hasher.expects(b.position())
                || (!attemptStop.get() && segments.prefix(prefixHint) == b.position()
                    && b.position() - hasher.hashed() <= CATCH_UP_BYTES
                    && hasher.awaitFrontier(b.position(), CATCH_UP_NANOS, attemptStop::get));
        try {
            if (handOver) {
                writeDirect(b);
            } else {
                writer.write(channel, b.bytes(), b.position());
            }
        } catch (Throwable e) { // an Error too: the block must not stay unresolved, or its worker would wait forever
            buffers.give(b.buffer());
            b.request().lost();
            throw e;
        }
        if (handOver) {
            hasher.handOver(b, buffers); // before the bytes count, so the hasher never reads them back
        } else {
            buffers.give(b.buffer());
        }
        segments.advance(b.segment(), b.length());
        fetched.addAndGet(b.length());
        b.request().written();
    }

    /**
     * The block's whole pages with O_DIRECT; a partial page at either end (a resumed offset, the
     * file's end) through the page cache. If O_DIRECT fails, it is not used again and the block
     * is written the ordinary way: an error that remains is a real one (a full disk).
     */
    private void writeDirect(Block b) throws IOException {
        FileChannel d = direct;
        if (d == null) {
            writer.write(channel, b.bytes(), b.position());
            return;
        }
        int align = StagingBuffers.ALIGN;
        int headEnd = Math.min(b.to(), (b.from() + align - 1) / align * align);
        int midEnd = Math.max(headEnd, b.to() / align * align);
        long at = b.position() - b.from(); // file position of buffer offset 0
        if (headEnd > b.from()) {
            writer.write(channel, b.buffer().duplicate().limit(headEnd).position(b.from()), b.position());
        }
        if (midEnd > headEnd) {
            ByteBuffer pages = b.buffer().duplicate().limit(midEnd).position(headEnd);
            try {
                writer.write(d, pages, at + headEnd);
            } catch (IOException e) {
                direct = null; // refused (EINVAL) or a real error: the ordinary write tells which
                writer.write(channel, b.buffer().duplicate().limit(midEnd).position(headEnd), at + headEnd);
            }
        }
        if (b.to() > midEnd) {
            writer.write(channel, b.buffer().duplicate().limit(b.to()).position(midEnd), at + midEnd);
        }
    }

    /** After the end: gives back the blocks nobody will write, and lets their workers go on. */
    private void drain() {
        for (Block b; (b = queue.poll()) != null; ) {
            buffers.give(b.buffer());
            b.request().lost();
        }
    }
}
