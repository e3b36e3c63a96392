package dev.modeldepot.tui;

import dev.modeldepot.cli.Cli;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.ExitCode;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.queue.VariantInstaller;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal in-memory runner with the shared queue's semantics (priority order, duplicate
 * suppression, a limit of active downloads, pause keeps the partial, retry, clear), so the
 * dashboard runs end to end on its own. It does not persist across restarts: the shared
 * DownloadQueue does, and replaces this class at merge.
 */
public final class LocalQueue implements QueueControl, AutoCloseable {
    /** Mutable per-item bookkeeping, guarded by the queue's lock; published only as snapshots. */
    private static final class Entry {
        final String key;
        final long seq;
        final Map<String, long[]> files = new LinkedHashMap<>(); // label -> {done, total}
        final SpeedMeter meter;
        ItemState state = ItemState.QUEUED;
        int priority;
        String currentFile;
        int filesDone;
        Instant queuedAt;
        Instant startedAt;
        Instant finishedAt;
        String lastError;
        Cancellation cancellation = new Cancellation();

        Entry(String key, long seq, int priority, Clock clock) {
            this.key = key;
            this.seq = seq;
            this.priority = priority;
            this.meter = new SpeedMeter(clock, 5_000);
            this.queuedAt = clock.instant();
        }
    }

    private final VariantInstaller installer;
    private final int maxActive;
    private final Clock clock;
    private final ExecutorService workers;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Keys whose worker has not returned yet: a paused download unwinds before its resume may start. */
    private final java.util.Set<String> live = new java.util.HashSet<>();
    private long nextSeq;
    private volatile QueueSnapshot published;

    public LocalQueue(VariantInstaller installer, int maxActive, Clock clock) {
        this.installer = installer;
        this.maxActive = Math.max(1, maxActive);
        this.clock = clock;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dashboard-download");
            t.setDaemon(true);
            return t;
        });
        this.published = QueueSnapshot.empty(clock.instant());
    }

    @Override
    public synchronized boolean enqueue(String key, int priority) {
        Entry existing = entries.get(key);
        if (existing != null && !existing.state.isFinished()) {
            return false;
        }
        entries.put(key, new Entry(key, nextSeq++, priority, clock));
        schedule();
        return true;
    }

    @Override
    public synchronized void cancel(String key) {
        Entry e = entries.get(key);
        if (e != null && !e.state.isFinished()) {
            e.cancellation.cancel();
            finish(e, ItemState.CANCELLED, null);
        }
    }

    @Override
    public synchronized void pause(String key) {
        Entry e = entries.get(key);
        if (e != null && (e.state == ItemState.DOWNLOADING || e.state == ItemState.QUEUED)) {
            e.cancellation.cancel();
            e.state = ItemState.PAUSED;
            publish();
            schedule();
        }
    }

    @Override
    public synchronized void resume(String key) {
        Entry e = entries.get(key);
        if (e != null && e.state == ItemState.PAUSED) {
            e.state = ItemState.QUEUED;
            e.cancellation = new Cancellation();
            schedule();
        }
    }

    @Override
    public synchronized void setPriority(String key, int priority) {
        Entry e = entries.get(key);
        if (e != null) {
            e.priority = priority;
            publish();
        }
    }

    @Override
    public synchronized void retry(String key) {
        Entry e = entries.get(key);
        if (e != null && (e.state == ItemState.FAILED || e.state == ItemState.CANCELLED)) {
            entries.put(key, new Entry(key, nextSeq++, e.priority, clock));
            schedule();
        }
    }

    @Override
    public synchronized void clear(String key) {
        Entry e = entries.get(key);
        if (e != null) {
            e.cancellation.cancel();
            entries.remove(key);
            publish();
            schedule();
        }
    }

    @Override
    public QueueSnapshot snapshot() {
        return published;
    }

    private void schedule() {
        long running = live.size();
        List<Entry> waiting = entries.values().stream().filter(e -> e.state == ItemState.QUEUED && !live.contains(e.key))
                .sorted(order()).toList();
        for (Entry e : waiting) {
            if (running >= maxActive) {
                break;
            }
            e.state = ItemState.DOWNLOADING;
            e.startedAt = clock.instant();
            e.meter.reset();
            running++;
            live.add(e.key);
            Cancellation mine = e.cancellation;
            workers.execute(() -> run(e, mine));
        }
        publish();
    }

    private static Comparator<Entry> order() {
        return Comparator.comparingInt((Entry e) -> -e.priority).thenComparingLong(e -> e.seq);
    }

    private void run(Entry e, Cancellation mine) {
        try {
            installer.install(e.key, event -> onEvent(e, event), mine);
            synchronized (this) {
                if (e.cancellation == mine && e.state == ItemState.DOWNLOADING) {
                    finish(e, ItemState.COMPLETED, null);
                }
            }
        } catch (Exception | Error ex) {
            synchronized (this) {
                // Pause and cancel already set the state; only a real failure is recorded here.
                if (e.cancellation == mine && e.state == ItemState.DOWNLOADING) {
                    boolean stopped = ex instanceof DepotException d && d.exitCode() == ExitCode.INTERRUPTED;
                    finish(e, stopped ? ItemState.CANCELLED : ItemState.FAILED, Cli.messageOf(ex));
                }
            }
        } finally {
            synchronized (this) {
                live.remove(e.key);
                schedule();
            }
        }
    }

    private synchronized void onEvent(Entry e, DownloadEvent event) {
        if (e.state != ItemState.DOWNLOADING) {
            return;
        }
        if (event instanceof DownloadEvent.Queued q) {
            e.files.put(q.label(), new long[] {0, q.total()});
        } else if (event instanceof DownloadEvent.Started s) {
            e.currentFile = s.label();
            e.files.computeIfAbsent(s.label(), k -> new long[] {0, s.total()})[0] = s.bytes();
        } else if (event instanceof DownloadEvent.Progress p) {
            e.files.computeIfAbsent(p.label(), k -> new long[] {0, p.total()})[0] = p.bytes();
        } else if (event instanceof DownloadEvent.Completed c) {
            e.files.computeIfAbsent(c.label(), k -> new long[] {0, c.size()})[0] = c.size();
            e.filesDone++;
        } else if (event instanceof DownloadEvent.Failed f) {
            e.lastError = f.message();
        }
        e.meter.add(bytesDone(e));
        publish();
    }

    private static long bytesDone(Entry e) {
        return e.files.values().stream().mapToLong(v -> v[0]).sum();
    }

    private void finish(Entry e, ItemState state, String error) {
        e.state = state;
        e.finishedAt = clock.instant();
        e.lastError = error;
        publish();
    }

    private void publish() {
        List<ItemSnapshot> items = new ArrayList<>();
        for (Entry e : entries.values().stream().sorted(order()).toList()) {
            long done = bytesDone(e);
            long total = e.files.values().stream().mapToLong(v -> v[1]).sum();
            boolean live = e.state == ItemState.DOWNLOADING;
            double speed = live ? e.meter.bytesPerSecond() : 0;
            items.add(new ItemSnapshot(e.key, e.state, e.priority, e.currentFile, e.filesDone, e.files.size(), done, total,
                    speed, live ? e.meter.etaSeconds(total - done) : -1, e.queuedAt, e.startedAt, e.finishedAt, e.lastError));
        }
        published = new QueueSnapshot(items, clock.instant());
    }

    @Override
    public synchronized void close() {
        entries.values().forEach(e -> e.cancellation.cancel());
        workers.shutdownNow();
    }
}
