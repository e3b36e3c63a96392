package dev.modeldepot.tui;

import dev.modeldepot.cli.Cli;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dashboard's backend over a registry, a store and a download queue. Rows are rebuilt from
 * disk only when something changed (a queue state change, a finished job, 'r'), or once a
 * second while downloads run so cache usage follows them; an idle dashboard reads nothing.
 */
public final class LocalBackend implements DashboardBackend, AutoCloseable {
    private static final long BUSY_RESCAN_MILLIS = 1000;

    private final Registry registry;
    private final LocalStore store;
    private final QueueControl queue;
    private final Clock clock;
    private final long budget;
    private final ExecutorService jobs = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dashboard-jobs");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> verifying = ConcurrentHashMap.newKeySet();
    private final Map<String, String> jobErrors = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private volatile DashboardState.Data cached;
    private volatile List<ItemSnapshot> lastItems = List.of();
    private long lastScanMillis;

    public LocalBackend(Registry registry, LocalStore store, QueueControl queue, Clock clock, long budget) {
        this.registry = registry;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.budget = budget;
    }

    @Override
    public synchronized DashboardState.Data load() {
        QueueSnapshot q = queue.snapshot();
        boolean busy = q.running() > 0 || !verifying.isEmpty();
        boolean queueMoved = !sameStates(q.items(), lastItems);
        if (cached == null || dirty.getAndSet(false) || queueMoved || (busy && clock.millis() - lastScanMillis >= BUSY_RESCAN_MILLIS)) {
            lastItems = q.items();
            lastScanMillis = clock.millis();
            cached = scan(q);
        }
        return cached;
    }

    private static boolean sameStates(List<ItemSnapshot> a, List<ItemSnapshot> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).key().equals(b.get(i).key()) || a.get(i).state() != b.get(i).state()) {
                return false;
            }
        }
        return true;
    }

    private DashboardState.Data scan(QueueSnapshot q) {
        List<ModelRow> rows = new ArrayList<>();
        for (VariantRef ref : registry.models().stream().flatMap(m -> m.variants().stream().map(v -> new VariantRef(m, v))).toList()) {
            LocalStore.VariantRecord record = store.record(ref);
            LocalStore.Status status = store.status(ref);
            Optional<ItemSnapshot> item = q.item(ref.key());
            ModelRow.State state = state(ref.key(), status, item);
            String error = record.corrupt().values().stream().findFirst()
                    .orElse(item.map(ItemSnapshot::lastError).orElse(jobErrors.get(ref.key())));
            List<ModelRow.FileRow> files = new ArrayList<>();
            for (ModelFile f : ref.variant().files()) {
                files.add(new ModelRow.FileRow(f.path(), f.effectiveFormat(), f.role(), f.size(), f.sha256(),
                        record.files().containsKey(f.path()) && Files.isRegularFile(store.finalPath(ref, f))));
            }
            rows.add(new ModelRow(ref.model().id(), ref.variant().id(), ref.totalSize(), state,
                    status == LocalStore.Status.READY ? store.verifiedAt(ref) : null, store.usage(ref), files, record.apps(), error));
        }
        return new DashboardState.Data(store.root().toString(), store.freeSpace(), budget, rows);
    }

    private ModelRow.State state(String key, LocalStore.Status status, Optional<ItemSnapshot> item) {
        if (verifying.contains(key)) {
            return ModelRow.State.VERIFYING;
        }
        if (status == LocalStore.Status.CORRUPT) {
            return ModelRow.State.CORRUPT;
        }
        if (item.isPresent()) {
            switch (item.get().state()) {
                case QUEUED: return ModelRow.State.QUEUED;
                case DOWNLOADING: return ModelRow.State.DOWNLOADING;
                case PAUSED: return ModelRow.State.PAUSED;
                case FAILED: return ModelRow.State.FAILED;
                default: break;
            }
        }
        return switch (status) {
            case READY -> ModelRow.State.READY;
            case PARTIAL -> ModelRow.State.PARTIAL;
            default -> ModelRow.State.MISSING;
        };
    }

    @Override
    public QueueSnapshot queue() {
        return queue.snapshot();
    }

    @Override
    public void refresh() {
        dirty.set(true);
    }

    @Override
    public void download(String key) {
        VariantRef ref = registry.resolve(key);
        jobErrors.remove(key);
        try {
            store.clearCorrupt(ref);
        } catch (IOException e) {
            throw DepotException.failed("cannot clear the corrupt copy of " + key + ": " + Cli.messageOf(e));
        }
        Optional<ItemSnapshot> item = queue.snapshot().item(key);
        if (item.isPresent() && (item.get().state() == ItemState.FAILED || item.get().state() == ItemState.CANCELLED)) {
            queue.retry(key);
        } else if (item.isPresent() && item.get().state() == ItemState.PAUSED) {
            queue.resume(key);
        } else if (store.status(ref) == LocalStore.Status.READY) {
            throw DepotException.badInput(key + " is already downloaded and verified");
        } else if (!queue.enqueue(key, item.map(ItemSnapshot::priority).orElse(0))) {
            throw DepotException.badInput(key + " is already in the queue");
        }
        dirty.set(true);
    }

    @Override
    public void pauseOrResume(String key) {
        ItemSnapshot item = queue.snapshot().item(key)
                .orElseThrow(() -> DepotException.badInput(key + " is not in the queue"));
        switch (item.state()) {
            case PAUSED -> queue.resume(key);
            case QUEUED, DOWNLOADING -> queue.pause(key);
            default -> throw DepotException.badInput(key + " is " + item.state().name().toLowerCase() + ": nothing to pause");
        }
        dirty.set(true);
    }

    @Override
    public void cancel(String key) {
        queue.snapshot().item(key).filter(i -> !i.state().isFinished())
                .orElseThrow(() -> DepotException.badInput(key + " is not downloading"));
        queue.cancel(key);
        dirty.set(true);
    }

    @Override
    public void verify(String key) {
        VariantRef ref = registry.resolve(key);
        LocalStore.Status status = store.status(ref);
        if (status == LocalStore.Status.MISSING) {
            throw DepotException.badInput(key + " has no files to verify");
        }
        if (!verifying.add(key)) {
            return;
        }
        dirty.set(true);
        jobs.execute(() -> {
            try {
                store.verify(ref, LocalInstaller.APP);
                jobErrors.remove(key);
            } catch (IOException | RuntimeException e) {
                jobErrors.put(key, "verify failed: " + Cli.messageOf(e));
            } finally {
                verifying.remove(key);
                dirty.set(true);
            }
        });
    }

    @Override
    public void delete(String key) {
        VariantRef ref = registry.resolve(key);
        queue.clear(key);
        try {
            store.delete(ref);
        } catch (IOException e) {
            throw DepotException.failed("cannot delete " + key + ": " + Cli.messageOf(e));
        }
        jobErrors.remove(key);
        dirty.set(true);
    }

    @Override
    public void priority(String key, int delta) {
        ItemSnapshot item = queue.snapshot().item(key).filter(i -> !i.state().isFinished())
                .orElseThrow(() -> DepotException.badInput(key + " is not in the queue"));
        queue.setPriority(key, item.priority() + delta);
        dirty.set(true);
    }

    @Override
    public void close() {
        jobs.shutdownNow();
    }
}
