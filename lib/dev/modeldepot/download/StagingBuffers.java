package dev.modeldepot.download;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The process's blocks of memory for bytes on their way from a connection to the disk: each
 * block is page-aligned (so it can be written with {@code O_DIRECT}) and is reused, never freed.
 * Their number is capped, so memory stays flat whatever the file size or the number of
 * downloads: a connection that finds none free waits briefly, then writes through the page
 * cache as before (slower on CPU, never wrong).
 */
final class StagingBuffers {
    /** Bytes in one block: large writes, few system calls; a multiple of any page size in use. */
    static final int SIZE = 4 << 20;
    /** What the blocks' addresses are aligned to; {@code O_DIRECT} needs the file system's block size to divide it. */
    static final int ALIGN = 4096;

    static final StagingBuffers SHARED = new StagingBuffers(16);

    private final int max;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger made = new AtomicInteger();

    StagingBuffers(int max) {
        this.max = max;
    }

    /** A cleared block, or null when none came free within {@code waitNanos} or {@code stopped} says so. */
    ByteBuffer take(long waitNanos, BooleanSupplier stopped) {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            ByteBuffer b = free.poll();
            if (b != null) {
                return b.clear();
            }
            int n = made.get();
            if (n < max && made.compareAndSet(n, n + 1)) {
                try {
                    return ByteBuffer.allocateDirect(SIZE + ALIGN).alignedSlice(ALIGN);
                } catch (OutOfMemoryError e) { // -XX:MaxDirectMemorySize reached: the ordinary path needs none
                    made.decrementAndGet();
                    return null;
                }
            }
            if (System.nanoTime() - deadline >= 0 || stopped.getAsBoolean()) {
                return null;
            }
            LockSupport.parkNanos(500_000); // a block is written or hashed within milliseconds
        }
    }

    void give(ByteBuffer b) {
        free.add(b);
    }

    /** Blocks made so far (a test's view of the cap). */
    int made() {
        return made.get();
    }

    /** Blocks currently free (a test's view of leaks). */
    int free() {
        return free.size();
    }
}
