package dev.modeldepot.queue;

import dev.modeldepot.core.Errors;
import dev.modeldepot.core.Eta;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.SpeedMeter;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One queue entry's mutable state; every access is under the queue's lock. Progress is rebuilt
 * from the installer's events: files announced (Queued), in flight (Started/Progress) and done
 * (Verified/Completed). Values restored from disk stand in until the first event of a new run.
 */
final class QueueEntry {
    private static final Duration SPEED_WINDOW = Duration.ofSeconds(5);

    private static final class FileProgress {
        long bytes;
        long total = -1;
        boolean done;
    }

    final String key;
    final long seq;
    ItemState state;
    int priority;
    Instant queuedAt;
    Instant startedAt;
    Instant finishedAt;
    String lastError;
    /** The exit code of the last failure (ExitCode), 0 when there is none. */
    int errorCode;

    /** Non-null while a worker runs this entry; identifies that run. */
    Cancellation run;

    private final Map<String, FileProgress> files = new LinkedHashMap<>();
    private final SpeedMeter speed = new SpeedMeter(SPEED_WINDOW);
    /** Time left as the screen shows it: smoothed, changed at most once a second (core.Eta). */
    private Eta eta = new Eta();
    /** Bytes this run moved (not those a resume found on disk): what speed is measured on. */
    private long transferred;
    private String currentFile;
    // Restored from the state file; shown until the next run reports.
    private int savedFilesDone;
    private int savedFilesTotal;
    private long savedBytesDone;
    private long savedBytesTotal;

    QueueEntry(String key, long seq, int priority, Instant queuedAt) {
        this.key = key;
        this.seq = seq;
        this.priority = priority;
        this.queuedAt = queuedAt;
        this.state = ItemState.QUEUED;
    }

    static QueueEntry restore(QueueFile.Item item) {
        QueueEntry e = new QueueEntry(item.key(), item.seq(), item.priority(), item.queuedAt());
        // A download cut off by a crash or shutdown goes back to the queue to resume.
        e.state = item.state() == ItemState.DOWNLOADING ? ItemState.QUEUED : item.state();
        e.startedAt = item.startedAt();
        e.finishedAt = item.finishedAt();
        e.lastError = item.lastError();
        e.errorCode = item.errorCode();
        e.savedFilesDone = item.filesDone();
        e.savedFilesTotal = item.filesTotal();
        e.savedBytesDone = item.bytesDone();
        e.savedBytesTotal = item.bytesTotal();
        return e;
    }

    QueueFile.Item toItem() {
        return new QueueFile.Item(key, state, priority, seq, queuedAt, startedAt, finishedAt, lastError, errorCode,
                filesDone(), filesTotal(), bytesDone(), bytesTotal());
    }

    /** A new run starts: progress comes from its events now. */
    void startRun(Instant now, Cancellation cancellation) {
        savedFilesDone = filesDone();
        savedFilesTotal = filesTotal();
        savedBytesDone = bytesDone();
        savedBytesTotal = bytesTotal();
        files.clear();
        speed.reset();
        eta = new Eta();
        transferred = 0;
        currentFile = null;
        run = cancellation;
        state = ItemState.DOWNLOADING;
        startedAt = now;
        finishedAt = null;
        lastError = null;
        errorCode = 0;
    }

    // The rules of the user's actions; each returns whether it changed anything.

    /** A finished entry (completed, failed, cancelled) may be asked for again; others are duplicates. */
    boolean requeue(int newPriority, Instant now) {
        if (!state.isFinished()) {
            return false;
        }
        resetProgress();
        state = ItemState.QUEUED;
        priority = newPriority;
        queuedAt = now;
        return true;
    }

    boolean cancel(Instant now) {
        if (state.isFinished()) {
            return false;
        }
        stopRun();
        state = ItemState.CANCELLED;
        finishedAt = now;
        return true;
    }

    boolean pause() {
        if (state != ItemState.QUEUED && state != ItemState.DOWNLOADING) {
            return false;
        }
        stopRun();
        state = ItemState.PAUSED;
        return true;
    }

    boolean resume() {
        if (state != ItemState.PAUSED) {
            return false;
        }
        state = ItemState.QUEUED;
        return true;
    }

    boolean retry(Instant now) {
        if (state != ItemState.FAILED && state != ItemState.CANCELLED) {
            return false;
        }
        state = ItemState.QUEUED;
        finishedAt = null;
        queuedAt = now;
        return true;
    }

    /** Tells a running install to stop (it keeps its partial) and forgets it. */
    void stopRun() {
        if (run != null) {
            run.cancel();
            run = null;
        }
    }

    /** What a run's end means: success, a failure, or a stop the user or a shutdown asked for. */
    void endRun(Cancellation ended, Throwable failure, boolean shuttingDown, Instant now) {
        if (run == ended) {
            run = null;
        }
        if (failure == null) {
            state = ItemState.COMPLETED;
            finishedAt = now;
        } else if (state == ItemState.DOWNLOADING && shuttingDown) {
            state = ItemState.QUEUED; // resumed on the next start
        } else if (state == ItemState.DOWNLOADING) {
            state = ItemState.FAILED;
            finishedAt = now;
            lastError = Redact.text(Errors.messageOf(failure));
            errorCode = Errors.exitCodeOf(failure).code;
        }
        // Otherwise the user paused, cancelled or resumed it meanwhile: their state stands.
    }

    /** Forget all progress (a finished entry enqueued again). */
    private void resetProgress() {
        files.clear();
        speed.reset();
        eta = new Eta();
        currentFile = null;
        savedFilesDone = savedFilesTotal = 0;
        savedBytesDone = savedBytesTotal = 0;
        lastError = null;
        errorCode = 0;
        startedAt = null;
        finishedAt = null;
    }

    void apply(DownloadEvent event, Instant now) {
        FileProgress f = files.computeIfAbsent(event.label(), l -> new FileProgress());
        // Java 17: no pattern matching for switch yet, so an if chain over the sealed events.
        if (event instanceof DownloadEvent.Queued q) {
            f.total = q.total();
        } else if (event instanceof DownloadEvent.Started s) {
            // Bytes a resume already had are progress but not speed.
            f.bytes = s.bytes();
            f.total = s.total();
            currentFile = s.label();
            measure(now);
        } else if (event instanceof DownloadEvent.Progress p) {
            if (p.bytes() > f.bytes) {
                transferred += p.bytes() - f.bytes;
            }
            f.bytes = p.bytes();
            if (p.total() > 0) {
                f.total = p.total();
            }
            currentFile = p.label();
            measure(now);
        } else if (event instanceof DownloadEvent.Retry r) {
            currentFile = r.label();
        } else if (event instanceof DownloadEvent.Verified v) {
            f.total = v.size();
            f.bytes = v.size();
        } else if (event instanceof DownloadEvent.Completed c) {
            f.total = c.size();
            f.bytes = c.size();
            f.done = true;
            if (c.label().equals(currentFile)) {
                currentFile = null;
            }
        } else if (event instanceof DownloadEvent.Failed x) {
            if (x.code() == ExitCode.INTERRUPTED.code) {
                return; // the engine reporting a stop the queue asked for (pause, shutdown): not an error
            }
            String file = fileName(x.label());
            lastError = Redact.text(x.message().contains(file) ? x.message() : file + ": " + x.message());
            errorCode = x.code();
        }
    }

    /**
     * Until this run's first new byte, each sample replaces the last: the speed window starts at
     * the resume point, so the time spent connecting and validating a kept partial does not read
     * as a slow start.
     */
    private void measure(Instant now) {
        if (transferred == 0) {
            speed.reset();
        }
        speed.add(now, transferred);
        timeLeft(now);
    }

    private long timeLeft(Instant now) {
        long total = bytesTotal();
        return eta.update(now.toEpochMilli(), transferred, total > 0 ? Math.max(0, total - bytesDone()) : -1).etaSeconds();
    }

    ItemSnapshot snapshot(Instant now) {
        boolean running = state == ItemState.DOWNLOADING;
        double bps = running ? speed.bytesPerSecond(now) : 0;
        long total = bytesTotal();
        long done = bytesDone();
        long left = running && total > 0 ? timeLeft(now) : -1;
        return new ItemSnapshot(key, state, priority, running ? fileName(currentFile) : null, filesDone(), filesTotal(),
                done, total, bps, left, queuedAt, startedAt, finishedAt, lastError, errorCode);
    }

    /** "model:variant/dir/file.gguf" shows as "dir/file.gguf": the key is already on the row. */
    private String fileName(String label) {
        if (label != null && label.startsWith(key + "/")) {
            return label.substring(key.length() + 1);
        }
        return label;
    }

    int filesDone() {
        return files.isEmpty() ? savedFilesDone : (int) files.values().stream().filter(f -> f.done).count();
    }

    int filesTotal() {
        return files.isEmpty() ? savedFilesTotal : files.size();
    }

    long bytesDone() {
        return files.isEmpty() ? savedBytesDone : files.values().stream().mapToLong(f -> f.done ? Math.max(f.total, f.bytes) : f.bytes).sum();
    }

    long bytesTotal() {
        return files.isEmpty() ? savedBytesTotal : files.values().stream().mapToLong(f -> Math.max(f.total, 0)).sum();
    }
}
