package dev.modeldepot.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The queue's state file: JSON written atomically (temp, fsync, rename), so a kill -9 leaves
 * either the old or the new queue, never half of one. A lock file beside it keeps a second
 * process from running the same queue.
 */
final class QueueFile {
    static final int VERSION = 1;

    record Item(String key, ItemState state, int priority, long seq, Instant queuedAt, Instant startedAt,
                Instant finishedAt, String lastError, int errorCode, int filesDone, int filesTotal, long bytesDone, long bytesTotal) {}

    record Content(int version, List<Item> items) {
        Content {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    private final Path file;
    private FileChannel lockChannel;
    private FileLock lock;

    QueueFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    Path path() {
        return file;
    }

    /**
     * Reads the saved queue. A missing file is an empty queue; an unreadable one is moved aside
     * (kept for a human to look at) rather than stopping every later start.
     */
    List<Item> load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Json.MAPPER.readValue(bytes, Content.class).items().stream()
                    .filter(i -> i.key() != null && i.state() != null).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (JsonProcessingException e) {
            try {
                AtomicFiles.move(file, file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis()));
            } catch (IOException ignored) {
                // Left in place: the next save replaces it.
            }
            return List.of();
        } catch (IOException e) {
            throw DepotException.failed("cannot read the download queue " + file + ": " + e.getMessage());
        }
    }

    void save(List<Item> items) throws IOException {
        AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Content(VERSION, items)));
    }

    /** Takes the lock that makes this process the queue's only runner. */
    void lock() {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Files.createDirectories(file.getParent());
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            throw DepotException.failed("cannot lock the download queue " + lockFile + ": " + e.getMessage());
        }
        if (lock == null) {
            closeQuietly();
            throw DepotException.failed("the download queue " + file + " is already run by another process or queue; "
                    + "use the running service (model-store serve) instead of a second downloader");
        }
    }

    void unlock() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // Closing the channel releases the lock anyway.
        } finally {
            lock = null;
            lockChannel = null;
        }
    }
}
