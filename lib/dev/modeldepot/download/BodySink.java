package dev.modeldepot.download;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A response body read by one pump thread in large blocks and handed to a {@link Consumer} from
 * the pump's own reusable buffer: one read and one positioned write per megabyte, no queue and no
 * copy in between. The worker that sent the request only waits for the end ({@link #await}) and
 * watches the clock, so stall detection and cancellation need no blocking read of its own.
 * Nothing is read before {@link #start}: a redirect or an error answer is closed unread.
 *
 * <p>Why a blocking stream and a pump instead of the JDK client's reactive body: the profile in
 * docs/design/download.md (issue 14) showed the reactive body path costing about 1 s of CPU per
 * GiB in buffer hand-offs and in JIT-compiling its machinery, more than the SHA-256 itself.
 */
final class BodySink {
    /** Takes the body's bytes; runs on the pump thread. */
    interface Consumer {
        /** Uses {@code buffer}'s remaining bytes (writes them at their position). */
        void accept(ByteBuffer buffer) throws IOException;

        /** Nanoseconds to wait before reading more (a rate limit), 0 for at once. */
        default long pauseNanos() {
            return 0;
        }
    }

    /** What {@link #await} saw. */
    enum State { ENDED, WAITING }

    /** The block one read fills at most: large reads, few system calls. */
    static final int BLOCK = 128 << 10;
    /** Bytes gathered before handing them on, unless {@link #HAND_ON_NANOS} passed first. */
    private static final int HAND_ON_BYTES = 64 << 10;
    /** A slow server's bytes still reach the consumer (progress, speed floor) this often. */
    private static final long HAND_ON_NANOS = 50_000_000;

    /** Pump threads: daemons (never keep the JVM alive after Ctrl-C), reused across requests. */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "download body");
        t.setDaemon(true);
        return t;
    });
    /** Each pump thread keeps its block: a range request allocates nothing. */
    private static final ThreadLocal<byte[]> BLOCKS = ThreadLocal.withInitial(() -> new byte[BLOCK]);

    private final InputStream in;
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private volatile boolean started;
    private volatile boolean cancelled;
    private volatile long lastDataNanos = System.nanoTime();

    /** {@code in} is the response's body stream, null when there is none (an error answer). */
    BodySink(InputStream in) {
        this.in = in == null ? InputStream.nullInputStream() : in;
    }

    /** Starts reading into {@code c} on a pump thread; {@code paced} asks it to pause as {@link Consumer#pauseNanos} says. */
    void start(Consumer c, boolean paced) {
        started = true;
        lastDataNanos = System.nanoTime();
        PUMPS.execute(() -> pump(c, paced));
    }

    private void pump(Consumer c, boolean paced) {
        byte[] block = BLOCKS.get();
        long handedOn = System.nanoTime();
        int filled = 0;
        try (InputStream body = in) {
            while (!cancelled) {
                int n;
                try {
                    n = body.read(block, filled, block.length - filled);
                } catch (SocketTimeoutException e) {
                    continue; // the watcher decides what a stall is; the read only wakes to check for a cancel
                }
                long now = System.nanoTime();
                if (n > 0) {
                    filled += n;
                    lastDataNanos = now;
                }
                boolean eof = n < 0;
                if (filled > 0 && (eof || filled >= HAND_ON_BYTES || filled == block.length || now - handedOn >= HAND_ON_NANOS)) {
                    if (cancelled) {
                        break;
                    }
                    try {
                        c.accept(ByteBuffer.wrap(block, 0, filled));
                    } catch (IOException e) {
                        throw new WriteFailure(e); // the local disk, not the network
                    }
                    lastDataNanos = System.nanoTime(); // time spent writing here is not the server's stall
                    filled = 0;
                    handedOn = now;
                    if (paced) {
                        pause(c.pauseNanos());
                    }
                }
                if (eof) {
                    end.complete(null);
                    return;
                }
            }
            end.complete(null);
        } catch (IOException e) {
            end.completeExceptionally(e);
        } catch (RuntimeException e) {
            end.completeExceptionally(e);
        }
    }

    private void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        while (!cancelled && nanos > 0) {
            LockSupport.parkNanos(Math.min(nanos, 50_000_000));
            nanos = until - System.nanoTime();
        }
        lastDataNanos = System.nanoTime(); // a pause of ours is not a stall of theirs
    }

    /**
     * Waits up to {@code millis} for the body to end. ENDED: it ended normally; a broken body
     * (the network) throws its IOException, a failed write throws {@link WriteFailure}.
     */
    State await(long millis) throws IOException, InterruptedException {
        try {
            end.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return State.WAITING;
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw t instanceof IOException io ? io : new IOException(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), t);
        }
        return State.ENDED;
    }

    /** Nanos since the last bytes arrived (or since {@link #start}). */
    long quietNanos() {
        return System.nanoTime() - lastDataNanos;
    }

    /**
     * Stops the body. Unread, it is closed here (a small rest is drained so the connection can be
     * reused, a large one closes it); while a pump reads, the pump closes it at its next wake-up
     * and writes nothing more.
     */
    void cancel() {
        cancelled = true;
        if (!started) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing was read; the connection is simply not reused
            }
        }
    }

    /** A write into the partial file failed (disk full, I/O error): retrying the network will not help. */
    static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException disk() {
            return (IOException) getCause();
        }
    }
}
