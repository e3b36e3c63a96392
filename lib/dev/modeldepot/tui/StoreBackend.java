package dev.modeldepot.tui;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Errors;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.VariantMeta;
import dev.modeldepot.store.VariantStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dashboard's backend over the registry, the {@link ModelStore} and a download queue (its own
 * or a running service's). The store is read on a thread of its own, never on the GUI thread: a
 * status may have to hash a file whose stamp no longer matches. A variant's status is read again
 * only when its queue state moved, after a verify or delete, or on 'r'; while a download runs
 * its row takes its figures from the queue, once a second.
 */
public final class StoreBackend implements DashboardBackend, AutoCloseable {
    /** The app the dashboard's downloads are recorded for (a pin in the store's metadata). */
    public static final String APP = "model-dashboard";
    private static final long BUSY_RESCAN_MILLIS = 1000;
    private record Stored(VariantStatus status, List<String> apps) {}

    private final Registry registry;
    private final ModelStore store;
    private final QueueControl queue;
    private final long budgetOverride;
    private final boolean offline;
    private final Clock clock;
    private final ExecutorService scanner = daemon("dashboard-store");
    private final ExecutorService jobs = daemon("dashboard-jobs");
    private final Set<String> verifying = ConcurrentHashMap.newKeySet();
    private final Map<String, String> jobErrors = new ConcurrentHashMap<>();
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    private final Set<String> stale = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean allStale = new AtomicBoolean(true);
    private final AtomicBoolean scanning = new AtomicBoolean();
    private volatile DashboardState.Data cached;
    private Map<String, ItemState> lastStates = Map.of();
    private volatile long lastScanMillis;

    /** @param budgetOverride a budget to show instead of the store's (0: the store's, from store.json) */
    public StoreBackend(Registry registry, ModelStore store, QueueControl queue, Clock clock, long budgetOverride, boolean offline) {
        this.registry = registry;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.budgetOverride = budgetOverride;
        this.offline = offline;
    }

    private static ExecutorService daemon(String name) {
        return Executors.newSingleThreadExecutor(dev.modeldepot.core.Threads.daemon(name));
    }

    @Override
    public synchronized DashboardState.Data load() {
        QueueSnapshot q = queue.snapshot();
        Map<String, ItemState> states = new HashMap<>();
        q.items().forEach(i -> states.put(i.key(), i.state()));
        Set<String> moved = new HashSet<>(lastStates.keySet());
        moved.addAll(states.keySet());
        moved.removeIf(k -> lastStates.get(k) == states.get(k));
        lastStates = states;
        stale.addAll(moved);
        if (cached == null) {
            scan(); // the first screen waits for the store once
            return cached;
        }
        boolean busy = q.running() > 0 || !verifying.isEmpty();
        boolean due = allStale.get() || !stale.isEmpty() || (busy && clock.millis() - lastScanMillis >= BUSY_RESCAN_MILLIS);
        if (due && scanning.compareAndSet(false, true)) {
            scanner.execute(() -> {
                try {
                    scan();
                } finally {
                    scanning.set(false);
                }
            });
        }
        // The label is read now, not at the last scan: a service that stops answering shows at once.
        return cached.withBackend(queue.label());
    }

    private void scan() {
        lastScanMillis = clock.millis();
        boolean all = allStale.getAndSet(false);
        Set<String> keys = new HashSet<>(stale);
        stale.removeAll(keys);
        QueueSnapshot q = queue.snapshot();
        List<ModelRow> rows = new ArrayList<>();
        for (VariantRef ref : registry.models().stream().flatMap(m -> m.variants().stream().map(v -> new VariantRef(m, v))).toList()) {
            Optional<ItemSnapshot> item = q.item(ref.key());
            boolean running = item.isPresent() && item.get().state() == ItemState.DOWNLOADING;
            Stored s = stored.get(ref.key());
            // A running download is not asked about: its blob may have just landed without its stamp.
            if (s == null || (!running && (all || keys.contains(ref.key())))) {
                s = read(ref);
                stored.put(ref.key(), s);
            }
            rows.add(row(ref, s, item));
        }
        long usage;
        try {
            usage = store.usage();
        } catch (IOException e) {
            usage = -1;
        }
        long budget = budgetOverride > 0 ? budgetOverride : store.settings().budgetBytes();
        cached = new DashboardState.Data(store.layout().root().toString(), queue.label(), store.freeSpace(), budget, usage, rows);
    }

    private Stored read(VariantRef ref) {
        // Stamps and sizes only: hashing belongs to the verify job, not to a refresh of the screen.
        VariantStatus status = store.statusFromStamps(ref);
        List<String> apps = store.meta(ref.model().id(), ref.variant().id()).map(VariantMeta::apps).orElse(List.of());
        return new Stored(status, apps);
    }

    private ModelRow row(VariantRef ref, Stored s, Optional<ItemSnapshot> item) {
        boolean running = item.isPresent() && item.get().state() == ItemState.DOWNLOADING;
        return Rows.row(ref, s.status(), s.apps(), item, verifying.contains(ref.key()), jobErrors.get(ref.key()),
                f -> running && Files.isRegularFile(store.layout().blobFor(ref, f)));
    }

    @Override
    public QueueSnapshot queue() {
        return queue.snapshot();
    }

    @Override
    public void refresh() {
        allStale.set(true);
    }

    private void changed(String key) {
        stale.add(key);
    }

    @Override
    public void download(String key) {
        VariantRef ref = registry.resolve(key);
        if (offline) {
            throw DepotException.badInput("--offline is set, so " + key + " cannot be downloaded");
        }
        jobErrors.remove(key);
        Optional<ItemSnapshot> item = queue.snapshot().item(key);
        Stored s = stored.get(key);
        if (item.isPresent() && (item.get().state() == ItemState.FAILED || item.get().state() == ItemState.CANCELLED)) {
            queue.retry(key);
        } else if (item.isPresent() && item.get().state() == ItemState.PAUSED) {
            queue.resume(key);
        } else if (s != null && s.status().usable() && (item.isEmpty() || item.get().state().isFinished())) {
            throw DepotException.badInput(key + " is already downloaded and verified");
        } else if (!queue.enqueue(ref.key(), item.map(ItemSnapshot::priority).orElse(0))) {
            throw DepotException.badInput(key + " is already in the queue");
        }
        changed(key);
    }

    @Override
    public void pauseOrResume(String key) {
        ItemSnapshot item = queue.snapshot().item(key)
                .orElseThrow(() -> DepotException.badInput(key + " is not in the queue"));
        switch (item.state()) {
            case PAUSED -> {
                if (offline) {
                    throw DepotException.badInput("--offline is set, so " + key + " cannot be resumed");
                }
                queue.resume(key);
            }
            case QUEUED, DOWNLOADING -> queue.pause(key);
            default -> throw DepotException.badInput(key + " is " + item.state().name().toLowerCase() + ": nothing to pause");
        }
        changed(key);
    }

    @Override
    public void cancel(String key) {
        queue.snapshot().item(key).filter(i -> !i.state().isFinished())
                .orElseThrow(() -> DepotException.badInput(key + " is not downloading"));
        queue.cancel(key);
        changed(key);
    }

    /** A deep status: the store hashes every file again and records the new stamps (the "verified" time). */
    @Override
    public void verify(String key) {
        VariantRef ref = registry.resolve(key);
        Stored s = stored.get(key);
        if (s != null && s.status().files().stream().noneMatch(f -> f.state() == VariantStatus.State.READY
                || f.state() == VariantStatus.State.UNVERIFIED || f.state() == VariantStatus.State.CORRUPT)) {
            throw DepotException.badInput(key + " has no files to verify");
        }
        if (!verifying.add(key)) {
            return;
        }
        changed(key);
        jobs.execute(() -> {
            try {
                VariantStatus status = store.status(ref, true);
                stored.put(key, new Stored(status, stored.containsKey(key) ? stored.get(key).apps() : List.of()));
                jobErrors.remove(key);
            } catch (RuntimeException e) {
                jobErrors.put(key, "verify failed: " + Errors.messageOf(e));
            } finally {
                verifying.remove(key);
                changed(key);
            }
        });
    }

    /**
     * Drops the queue entry, deletes the variant from the store (refused while another app pins
     * it), then sweeps the partial downloads nothing needs any more. On the jobs thread: the store
     * may wait for a cancelled download to let go of the variant.
     */
    @Override
    public void delete(String key) {
        VariantRef ref = registry.resolve(key);
        queue.clear(key);
        jobErrors.remove(key);
        changed(key);
        jobs.execute(() -> {
            try {
                String model = ref.model().id();
                String variant = ref.variant().id();
                if (store.meta(model, variant).isPresent() || Files.exists(store.layout().variantDir(model, variant))) {
                    store.delete(model, variant, APP, false);
                }
                store.prune(Long.MAX_VALUE, null, false, registry);
            } catch (IOException | RuntimeException e) {
                jobErrors.put(key, "delete failed: " + Errors.messageOf(e));
            } finally {
                changed(key);
            }
        });
    }

    @Override
    public void priority(String key, int delta) {
        ItemSnapshot item = queue.snapshot().item(key).filter(i -> !i.state().isFinished())
                .orElseThrow(() -> DepotException.badInput(key + " is not in the queue"));
        queue.setPriority(key, item.priority() + delta);
    }

    /** Waits for running verify and delete jobs (tests use it; the dashboard just quits). */
    void awaitJobs() throws Exception {
        jobs.submit(() -> { }).get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        scanner.shutdownNow();
        jobs.shutdownNow();
    }
}
