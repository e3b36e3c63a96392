package dev.modeldepot.queue;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The persistent priority queue of model variants ("model:variant" keys). Higher priority runs
 * first, equal priorities in the order they were queued; at most {@code maxActive} run at once.
 * Every state change is saved to the state file before the call returns, so a restarted queue
 * finds its entries and resumes what was queued or downloading. Listeners receive immutable
 * snapshots on one notifier thread, coalesced, always ending with the latest state.
 */
public final class DownloadQueue implements AutoCloseable {
    /** How long close() waits for running installs to stop after cancelling them. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** Progress alone is saved at most this often; state changes are saved at once. */
    private static final Duration PROGRESS_SAVE_EVERY = Duration.ofSeconds(5);
    private static final Comparator<QueueEntry> ORDER =
            Comparator.comparingInt((QueueEntry e) -> -e.priority).thenComparingLong(e -> e.seq);

    private final QueueFile file;
    private final VariantInstaller installer;
    private final int maxActive;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, QueueEntry> entries = new LinkedHashMap<>();
    /**
     * Keys whose worker has not returned yet. A paused, cancelled or cleared run is told to stop
     * but may take a moment to unwind (the engine joins its connections); a new run of the same
     * key waits for it, so two runs never write the same partial at once.
     */
    private final Set<String> live = new HashSet<>();
    private final ExecutorService workers;
    private final SnapshotPublisher publisher = new SnapshotPublisher(this::snapshot);
    private long nextSeq;
    private boolean started;
    private boolean closed;
    private Instant lastSave = Instant.EPOCH;
    private volatile String saveError;

    public DownloadQueue(Path stateFile, VariantInstaller installer, int maxActive, Clock clock) {
        if (maxActive < 1) {
            throw new IllegalArgumentException("maxActive must be at least 1, was " + maxActive);
        }
        this.file = new QueueFile(stateFile);
        this.installer = installer;
        this.maxActive = maxActive;
        this.clock = clock;
        this.workers = Executors.newCachedThreadPool(dev.modeldepot.core.Threads.daemon("queue-worker"));
        loadLocked();
    }

    private void loadLocked() {
        entries.clear();
        for (QueueFile.Item item : file.load()) {
            entries.put(item.key(), QueueEntry.restore(item));
            nextSeq = Math.max(nextSeq, item.seq() + 1);
        }
    }

    /** Where the store's one queue lives: shared by the service, the dashboard and multi-model downloads. */
    public static Path defaultStateFile(Path storeRoot) {
        return storeRoot.resolve("queue").resolve("queue.json");
    }

    public Path stateFile() {
        return file.path();
    }

    public int maxActive() {
        return maxActive;
    }

    /** The last error saving the state file, or null: shown by callers, never thrown at workers. */
    public String saveError() {
        return saveError;
    }

    /**
     * Takes the state file's lock (a second process running the same queue fails here with one
     * sentence) and starts running entries.
     */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            file.lock();
            // Read again now that this process owns the file: a runner that stopped since the
            // constructor may have saved a newer queue.
            loadLocked();
            started = true;
            pumpLocked();
            saveLocked();
        }
        publish();
    }

    /**
     * Stops running installs (partials are kept by the installer), saves the queue with them as
     * queued so the next start resumes them, and releases the lock.
     */
    @Override
    public void close() {
        List<Cancellation> running = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            entries.values().stream().filter(e -> e.run != null).forEach(e -> running.add(e.run));
        }
        running.forEach(Cancellation::cancel);
        workers.shutdown();
        try {
            workers.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            for (QueueEntry e : entries.values()) {
                if (e.state == ItemState.DOWNLOADING) {
                    e.state = ItemState.QUEUED;
                }
            }
            // A queue that never started never owned the file: another process may be running it.
            if (started) {
                saveLocked();
                file.unlock();
            }
        }
        publish();
        publisher.shutdown();
        workers.shutdownNow();
    }

    /** Queues "model:variant". Returns false for a duplicate of an entry not yet finished. */
    public boolean enqueue(String key, int priority) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a queue key is \"model:variant\", not blank");
        }
        return change(key, true, e -> {
            if (e == null) {
                entries.put(key, new QueueEntry(key, nextSeq++, priority, clock.instant()));
                return true;
            }
            return e.requeue(priority, clock.instant());
        });
    }

    /** Stops an entry for good (the partial is kept for a later retry). */
    public boolean cancel(String key) {
        return change(key, false, e -> e.cancel(clock.instant()));
    }

    /** Holds an entry: a running install is cancelled and keeps its partial, to continue on resume. */
    public boolean pause(String key) {
        return change(key, false, QueueEntry::pause);
    }

    /** Queues a paused entry again; it starts once its stopped run (if any) has returned. */
    public boolean resume(String key) {
        return change(key, false, QueueEntry::resume);
    }

    public boolean setPriority(String key, int priority) {
        return change(key, false, e -> {
            e.priority = priority;
            return true;
        });
    }

    /** Puts a failed or cancelled entry back in the queue; it resumes from its partial once its stopped run has returned. */
    public boolean retry(String key) {
        return change(key, false, e -> e.retry(clock.instant()));
    }

    /**
     * Removes an entry in any state. A running install is cancelled and abandoned at once, so an
     * install stuck in the network no longer holds a download slot.
     */
    public boolean clear(String key) {
        return change(key, false, e -> {
            e.stopRun();
            entries.remove(key);
            return true;
        });
    }

    public QueueSnapshot snapshot() {
        synchronized (lock) {
            Instant now = clock.instant();
            return new QueueSnapshot(entries.values().stream().sorted(ORDER).map(e -> e.snapshot(now)).toList(), now);
        }
    }

    /** Called on the queue's notifier thread with each new snapshot; must not block for long. */
    public void addListener(Consumer<QueueSnapshot> listener) {
        publisher.add(listener);
    }

    private interface Change {
        boolean apply(QueueEntry entry);
    }

    /** Applies one change under the lock, then saves, schedules and publishes if it changed anything. */
    private boolean change(String key, boolean allowMissing, Change change) {
        boolean changed;
        synchronized (lock) {
            QueueEntry e = entries.get(key);
            if (e == null && !allowMissing) {
                return false;
            }
            changed = change.apply(e);
            if (changed) {
                pumpLocked();
                saveLocked();
            }
        }
        if (changed) {
            publish();
        }
        return changed;
    }

    /** Starts queued entries while slots are free; an entry whose previous run is still unwinding waits for it. */
    private void pumpLocked() {
        if (!started || closed) {
            return;
        }
        long running = entries.values().stream().filter(e -> e.run != null).count();
        List<QueueEntry> ready = entries.values().stream()
                .filter(e -> e.state == ItemState.QUEUED && e.run == null && !live.contains(e.key)).sorted(ORDER).toList();
        for (QueueEntry e : ready) {
            if (running >= maxActive) {
                break;
            }
            Cancellation cancellation = new Cancellation();
            e.startRun(clock.instant(), cancellation);
            live.add(e.key);
            running++;
            workers.execute(() -> work(e, cancellation));
        }
    }

    private void work(QueueEntry entry, Cancellation cancellation) {
        Throwable failure = null;
        try {
            installer.install(entry.key, event -> onEvent(entry, cancellation, event), cancellation);
        } catch (Throwable t) {
            failure = t;
        }
        synchronized (lock) {
            live.remove(entry.key);
            // A cleared entry's late result is not recorded, but a new entry of its key may now start.
            if (entries.get(entry.key) == entry) {
                entry.endRun(cancellation, failure, closed, clock.instant());
            }
            pumpLocked();
            saveLocked();
        }
        publish();
    }

    private void onEvent(QueueEntry entry, Cancellation cancellation, DownloadEvent event) {
        synchronized (lock) {
            if (entries.get(entry.key) != entry || entry.run != cancellation) {
                return; // a stopped or abandoned run still reporting
            }
            Instant now = clock.instant();
            entry.apply(event, now);
            if (!(event instanceof DownloadEvent.Progress) || !now.isBefore(lastSave.plus(PROGRESS_SAVE_EVERY))) {
                saveLocked();
            }
        }
        publish();
    }

    private void saveLocked() {
        List<QueueFile.Item> items = entries.values().stream().map(QueueEntry::toItem).toList();
        try {
            file.save(items);
            lastSave = clock.instant();
            saveError = null;
        } catch (IOException e) {
            saveError = "cannot save the download queue " + file.path() + ": " + e.getMessage();
        }
    }

    private void publish() {
        publisher.request();
    }
}
