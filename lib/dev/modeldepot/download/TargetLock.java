package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * One downloader per target across processes: an OS lock on {@code .<name>.lock}. The OS drops
 * the lock when its process dies, so a crashed owner never blocks anyone (no stale-lock guessing).
 * Within one JVM a second thread sees the overlap and waits the same way.
 */
final class TargetLock implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private TargetLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, waiting at most {@code maxWait}; {@code waiting} is told the milliseconds
     * waited so far (first right away, then every few seconds) so the caller can say what it waits for.
     */
    static TargetLock acquire(Path path, Duration maxWait, Cancellation cancel, LongConsumer waiting) throws IOException, InterruptedException {
        Files.createDirectories(path.getParent());
        long start = System.nanoTime();
        long lastTold = -1;
        while (true) {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Object opened = key(path);
            FileLock l = null;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                l = null;
            }
            if (l != null && stillNamed(path, opened)) {
                return new TargetLock(path, ch, l);
            }
            ch.close();
            if (l != null) {
                continue; // the lock file was removed by its last holder: lock the path afresh
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (waited >= maxWait.toMillis()) {
                throw DepotException.failed("another process is still downloading to " + path.getParent()
                        + " after waiting " + maxWait.toSeconds() + " s (lock " + path.getFileName() + "); try again later");
            }
            if (cancel.isCancelled()) {
                throw DepotException.interrupted("interrupted while waiting for another download of the same file (lock " + path + ")");
            }
            if (lastTold < 0 || waited - lastTold >= 5000) {
                lastTold = waited;
                waiting.accept(waited);
            }
            Sleeper.sleep(200, cancel::isCancelled);
        }
    }

    /**
     * True when the path still names the file whose lock we hold: the last holder removes the
     * file while holding its lock, so a waiter that then locks the removed file must start again.
     * {@code opened} is the file's identity read right after opening it.
     */
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

    /** Removes the lock file; call while holding the lock, before closing. */
    void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // harmless: the next downloader locks the file that is left
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
