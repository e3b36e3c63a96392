package dev.modeldepot.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * An OS lock on a file, held by one owner across processes: the one lock helper, under the
 * download engine's per-target lock and the store's .locks/. The kernel drops the lock when its
 * process dies, so a crashed owner never blocks anyone (no stale-lock guessing). Another thread of
 * this JVM holding it counts as held too (the JVM refuses a second lock on one file).
 *
 * <p>A holder may remove the file while it holds the lock ({@link #remove}); a waiter that then
 * locks the removed file notices that the path names another file now and locks the path afresh.
 */
public final class LockFile implements AutoCloseable {
    /** How often a waiter tries again: short enough that a freed lock is taken at once. */
    static final long POLL_MILLIS = 50;
    /** How often {@link #await}'s {@code waiting} is told again. */
    static final long TELL_EVERY_MILLIS = 5000;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock if it is free right now; empty when another process or thread holds it. */
    public static Optional<LockFile> tryLock(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        while (true) {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Object opened = key(path);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                l = null;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (l != null && stillNamed(path, opened)) {
                return Optional.of(new LockFile(path, ch, l));
            }
            ch.close();
            if (l == null) {
                return Optional.empty();
            }
            // The file was removed by its last holder between our open and our lock: lock the path afresh.
        }
    }

    /**
     * Waits for the lock, trying every {@value #POLL_MILLIS} ms; empty when {@code maxWait} passed
     * or {@code stop} turned true first (the caller says which, in its own words). {@code waiting}
     * is told the milliseconds waited so far: at the first refusal, then every few seconds.
     */
    public static Optional<LockFile> await(Path path, Duration maxWait, BooleanSupplier stop, LongConsumer waiting)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long lastTold = -1;
        while (true) {
            Optional<LockFile> lock = tryLock(path);
            if (lock.isPresent()) {
                return lock;
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (waited >= maxWait.toMillis() || stop.getAsBoolean()) {
                return Optional.empty();
            }
            if (lastTold < 0 || waited - lastTold >= TELL_EVERY_MILLIS) {
                lastTold = waited;
                waiting.accept(waited);
            }
            Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, maxWait.toMillis() - waited)));
        }
    }

    /** True when the path still names the file we locked ({@code opened}: its identity when opened). */
    private static boolean stillNamed(Path path, Object opened) {
        Object now = key(path);
        return now != null && (opened == null || now.equals(opened));
    }

    private static Object key(Path path) {
        try {
            Object k = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return k == null ? "" : k;
        } catch (IOException e) {
            return null;
        }
    }

    public Path path() {
        return path;
    }

    /** Removes the lock file; call while holding the lock, before closing. */
    public void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Harmless: the next owner locks the file that is left.
        }
    }

    /** Releases the lock (closing the channel releases it anyway). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock; nothing else to do.
        }
    }
}
