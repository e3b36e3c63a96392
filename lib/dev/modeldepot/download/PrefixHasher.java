package dev.modeldepot.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * SHA-256 of the partial file, following the completed prefix in order while workers fill it.
 * The next blocks in order are handed over from memory by {@link WriteBehind} as they are
 * written; anything else it reads back (from the page cache, where those bytes were written), so
 * hashing overlaps the transfer and is done moments after the last byte: no second full read.
 */
final class PrefixHasher implements Runnable {
    private final FileChannel channel;
    private final Segments segments;
    private final MessageDigest digest;
    /** Large reads, few system calls; direct, so the read needs no bounce buffer in the JDK. */
    private static final int READ = 4 << 20;
    /** Below this, wait for more unless the file is complete: small reads cost a call each. */
    private static final int MIN_READ = 1 << 20;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ);
    private volatile long hashed;
    private volatile boolean stop;
    private volatile IOException failure;
    private volatile boolean finished;

    /** Runs once, on the hasher's thread, when the whole file is hashed. */
    private final Runnable whenFinished;

    /** Written blocks handed over in file order, the first starting at {@link #hashed} (guarded by this). */
    private final ArrayDeque<WriteBehind.Block> handed = new ArrayDeque<>();
    private StagingBuffers handedFrom;
    /** The hasher's loop has ended: blocks are no longer taken (guarded by this). */
    private boolean ended;
    private volatile Thread thread;
    /** A writer waits for the hash to reach this position (-1: none): then small reads are worth it. */
    private volatile long wanted = -1;

    PrefixHasher(FileChannel channel, Segments segments, Runnable whenFinished) {
        this.channel = channel;
        this.segments = segments;
        this.whenFinished = whenFinished;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a block written at {@code position} is the next one to hash (then it may be handed over). */
    synchronized boolean expects(long position) {
        return !ended && position == frontier();
    }

    /**
     * Where the next block must start to be handed over: the end of what is hashed or handed.
     * A connection whose next byte is here stages its bytes for {@link WriteBehind}.
     */
    synchronized long frontier() {
        WriteBehind.Block last = handed.peekLast();
        return last == null ? hashed : last.position() + last.length();
    }

    /**
     * Waits until everything before {@code position} is hashed (a writer waits so it can hand
     * over the block that starts there); false if that did not happen within {@code nanos}.
     * Only for a position whose preceding bytes are all on disk.
     */
    boolean awaitFrontier(long position, long nanos, BooleanSupplier stopped) {
        wanted = position;
        LockSupport.unpark(thread);
        long deadline = System.nanoTime() + nanos;
        try {
            while (true) {
                synchronized (this) {
                    long f = frontier();
                    if (ended || f > position) {
                        return false;
                    }
                    if (f == position) {
                        return true;
                    }
                }
                if (System.nanoTime() - deadline >= 0 || stopped.getAsBoolean()) {
                    return false;
                }
                LockSupport.parkNanos(100_000);
            }
        } finally {
            wanted = -1;
        }
    }

    /** A written block at the position {@link #expects} agreed to; its buffer goes back to {@code buffers} once hashed. */
    synchronized void handOver(WriteBehind.Block b, StagingBuffers buffers) {
        if (ended) {
            buffers.give(b.buffer()); // the hasher has stopped: nobody would give it back
            return;
        }
        handedFrom = buffers;
        handed.add(b);
        LockSupport.unpark(thread);
    }

    private synchronized WriteBehind.Block nextHanded() {
        return handed.peek();
    }

    /** Counts a hashed block and gives its buffer back, in one step with {@link #expects}. */
    private synchronized void hashedHanded(WriteBehind.Block b, boolean used) {
        handed.poll();
        if (used) {
            hashed += b.length();
        }
        handedFrom.give(b.buffer());
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        int[] hint = {0};
        try {
            while (!stop) {
                // The prefix first: a block is handed over before its bytes count, so a prefix that
                // includes it is always seen with it (never read back instead).
                long prefix = segments.size < 0 ? segments.bytesDone() : segments.prefix(hint);
                WriteBehind.Block b = nextHanded();
                if (b != null) {
                    boolean inOrder = b.position() == hashed; // always, unless a bug: then it is read back instead
                    if (inOrder) {
                        digest.update(b.bytes());
                    }
                    hashedHanded(b, inOrder);
                    continue;
                }
                long ready = prefix - hashed;
                if (ready >= MIN_READ || (ready > 0 && (segments.allDone() || wanted >= 0))) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), ready));
                    int n = channel.read(buffer, hashed);
                    if (n < 0) {
                        throw new IOException("partial file ended at " + hashed + " bytes while hashing");
                    }
                    buffer.flip();
                    digest.update(buffer);
                    hashed += n;
                } else if (segments.allDone() && hashed >= segments.bytesDone() && nextHanded() == null) {
                    finished = true;
                    whenFinished.run();
                    return;
                } else {
                    LockSupport.parkNanos(2_000_000); // 1 MB arrives in ~1 ms at loopback speed
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            synchronized (this) {
                ended = true;
                for (WriteBehind.Block b; (b = handed.poll()) != null; ) {
                    handedFrom.give(b.buffer());
                }
            }
        }
    }

    void stop() {
        stop = true;
    }

    long hashed() {
        return hashed;
    }

    boolean finished() {
        return finished;
    }

    IOException failure() {
        return failure;
    }

    /** Lowercase hex; only valid once {@link #finished()}. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
