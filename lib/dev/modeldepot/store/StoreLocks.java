package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import java.io.IOException;
import dev.modeldepot.core.LockFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Cross-process locks under .locks/: a {@link LockFile} (an OS lock, released by the kernel when
 * a process dies, so no stale lock ever needs breaking) plus an in-JVM semaphore, so threads of
 * this JVM queue for it instead of polling. Every wait is bounded: after {@code maxWait} the caller gets one
 * sentence saying the store is busy, never a hang.
 *
 * <p>Order, to rule out deadlock: variant lock, then blob lock, then the store lock; the store
 * lock is held only for short bookkeeping, and whoever holds it only ever try-locks the others
 * (a blocking acquire while this thread holds the store lock is a bug, and throws). One lock per
 * blob: the download engine takes none of its own under it ({@link Fetchers#of}).
 */
public final class StoreLocks {
    private static final ConcurrentHashMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    /** How many store locks this thread holds: while it holds one, it may only try-lock others. */
    private static final ThreadLocal<int[]> STORE_HELD = ThreadLocal.withInitial(() -> new int[1]);

    private final StoreLayout layout;
    private final Duration maxWait;

    /**
     * {@code maxWait} bounds bookkeeping waits. Waiting for another process's download of a blob is
     * not a lock wait with a deadline: {@link BlobWait} watches that download's progress instead.
     */
    public StoreLocks(StoreLayout layout, Duration maxWait) {
        this.layout = layout;
        this.maxWait = maxWait;
    }

    public static String store() {
        return "store";
    }

    public static String variant(String modelId, String variantId) {
        return "variant-" + modelId + "--" + variantId;
    }

    public static String blob(String sha256) {
        return "blob-" + StoreLayout.checkedSha(sha256);
    }

    /** Waits at most maxWait for the lock; {@code what} names it in the "busy" message. */
    public Held acquire(String name, String what) {
        return acquire(name, what, maxWait);
    }

    private Held acquire(String name, String what, Duration maxWait) {
        if (STORE_HELD.get()[0] > 0) {
            // A wait here would hold every other store operation up behind whatever holds `name`.
            throw new IllegalStateException("a blocking wait for " + what + " while holding the store lock");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        Path file = layout.lockFile(name);
        Semaphore local = IN_JVM.computeIfAbsent(file, f -> new Semaphore(1));
        try {
            if (!local.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(what, maxWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while waiting for " + what);
        }
        try {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            LockFile lock = LockFile.await(file, left, () -> false, waited -> {}).orElseThrow(() -> busy(what, maxWait));
            return held(name, local, lock);
        } catch (InterruptedException e) {
            local.release();
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while waiting for " + what);
        } catch (IOException | RuntimeException e) {
            local.release();
            if (e instanceof DepotException d) {
                throw d;
            }
            throw DepotException.failed("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lock if it is free right now; empty when someone (this JVM or another) holds it. */
    public Optional<Held> tryAcquire(String name) {
        Path file = layout.lockFile(name);
        Semaphore local = IN_JVM.computeIfAbsent(file, f -> new Semaphore(1));
        if (!local.tryAcquire()) {
            return Optional.empty();
        }
        try {
            Optional<LockFile> lock = LockFile.tryLock(file);
            if (lock.isEmpty()) {
                local.release();
                return Optional.empty();
            }
            return Optional.of(held(name, local, lock.get()));
        } catch (IOException e) {
            local.release();
            throw DepotException.failed("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when someone holds the lock now (used to tell a live install from an abandoned one). */
    public boolean isHeld(String name) {
        Optional<Held> held = tryAcquire(name);
        held.ifPresent(Held::close);
        return held.isEmpty();
    }

    private static Held held(String name, Semaphore local, LockFile lock) {
        boolean store = name.equals(store());
        if (store) {
            STORE_HELD.get()[0]++;
        }
        return new Held(local, lock, store ? Thread.currentThread() : null);
    }

    private static DepotException busy(String what, Duration maxWait) {
        String wait = maxWait.toMillis() < 1000 ? maxWait.toMillis() + " ms" : maxWait.toSeconds() + " s";
        return DepotException.failed("the store is busy: another process has held " + what + " for more than " + wait + "; try again later");
    }

    /** A held lock; closing releases both the file lock and the in-JVM permit. */
    public static final class Held implements AutoCloseable {
        private final Semaphore local;
        private final LockFile lock;
        private final Thread storeHolder;
        private boolean closed;

        Held(Semaphore local, LockFile lock, Thread storeHolder) {
            this.local = local;
            this.lock = lock;
            this.storeHolder = storeHolder;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (storeHolder == Thread.currentThread()) {
                STORE_HELD.get()[0]--;
            }
            try {
                lock.close();
            } finally {
                local.release();
            }
        }
    }
}
