package dev.modeldepot.api;

import dev.modeldepot.bundle.Bundle;
import dev.modeldepot.bundle.BundleSource;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.sources.Sources;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.Pruner;
import dev.modeldepot.store.StoreLayout;
import dev.modeldepot.store.VariantMeta;
import dev.modeldepot.verify.FormatChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The embeddable Java API: what an app calls to get its models onto the machine and keep them
 * intact. Built with {@link #builder()}; thread-safe; nothing here prints, exits or sets JVM
 * properties. Failures are unchecked {@link DepotException}s carrying their exit code.
 *
 * <pre>{@code
 * try (ModelDepot depot = ModelDepot.builder().app("photo-app").build()) {
 *     if (!depot.status("wd-v1-4-moat-tagger-v2").ready()) { ... ask the user ... }
 *     ReadyModel model = depot.ensure("wd-v1-4-moat-tagger-v2", event -> { ... progress ... });
 *     load(model.firstOfFormat("onnx").orElseThrow().file());
 * }
 * }</pre>
 * A model reference is "MODEL" (its default variant) or "MODEL:VARIANT", as the registry names them.
 */
public final class ModelDepot implements AutoCloseable {
    private final Registry registry;
    private final ModelStore store;
    private final StoreChoice choice;
    private final FileFetcher network;
    private final String app;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Clock clock;
    private final Path bundlePath;
    /** The bundle, then the network; opened at the first file an install lacks (guarded by this). */
    private BundleSource bundleFirst;
    /** Resolves hf:// and oci:// variants online; null when offline (the store's last resolution is used then). */
    private final Sources sources;

    ModelDepot(Registry registry, ModelStore store, StoreChoice choice, FileFetcher network, String app,
               ExecutorService executor, boolean ownsExecutor, Clock clock, Path bundlePath, Sources sources) {
        this.registry = registry;
        this.store = store;
        this.choice = choice;
        this.network = network;
        this.app = app;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.clock = clock;
        this.bundlePath = bundlePath;
        this.sources = sources;
    }

    /** The offline bundle installs come from first, if the builder was given one (opened now if not yet). */
    public Optional<String> bundleSource() {
        return bundlePath == null ? Optional.empty() : Optional.of(bundleFirst().bundle().where());
    }

    /** Where an install gets a file the store lacks: the bundle first (opened at the first such file), then the network. */
    private DownloadResult fetch(DownloadRequest request, DownloadListener listener, Cancellation cancel) throws Exception {
        return (bundlePath == null ? network : bundleFirst()).fetch(request, listener, cancel);
    }

    private synchronized BundleSource bundleFirst() {
        if (bundleFirst == null) {
            bundleFirst = new BundleSource(Bundle.open(bundlePath), network, BundleSource.HASHER_THREADS, clock);
        }
        return bundleFirst;
    }

    public static ModelDepotBuilder builder() {
        return new ModelDepotBuilder();
    }

    /** Ready, missing, partial or corrupt; bytes to download; each file's state; which store. Trusts unchanged stamps. */
    public ModelStatus status(String modelRef) {
        return status(resolve(modelRef), false);
    }

    /** As {@link #status(String)} for a resolved variant; {@code deep} hashes every file again. */
    public ModelStatus status(VariantRef ref, boolean deep) {
        return ModelStatus.of(store.status(ref, deep), choice);
    }

    /** Blocks until every file is in the store and verified (downloading what is missing), then says where. */
    public ReadyModel ensure(String modelRef, DownloadListener listener) {
        return ensure(resolve(modelRef), listener, new Cancellation());
    }

    /** As {@link #ensure(String, DownloadListener)}; {@code cancel} stops it (exit 130) and keeps the partials. */
    public ReadyModel ensure(VariantRef ref, DownloadListener listener, Cancellation cancel) {
        ref = resolveSource(ref);
        Path dir = store.install(ref, this::fetch, listener == null ? DownloadListener.NONE : listener, cancel, app);
        return ready(ref, dir);
    }

    /**
     * {@link #ensure} on the builder's executor. Cancelling the future stops the download: the
     * partial files are kept for a later resume and nothing appears at the model's final path.
     */
    public CompletableFuture<ReadyModel> ensureAsync(String modelRef, DownloadListener listener) {
        VariantRef ref = resolve(modelRef);
        Cancellation cancel = new Cancellation();
        CompletableFuture<ReadyModel> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                cancel.cancel();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        executor.execute(() -> {
            if (future.isDone()) {
                return;
            }
            try {
                future.complete(ensure(ref, listener, cancel));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }

    /**
     * Checks a variant's files: their hashes (every file hashed again when {@code deep}, else
     * unchanged stamps are trusted) and the structure of each file present (headers walked).
     */
    public Verification verify(String modelRef, boolean deep) {
        VariantRef ref = resolve(modelRef);
        ModelStatus status = status(ref, deep);
        List<Verification.FileCheck> checks = new ArrayList<>();
        for (ModelFile f : ref.variant().files()) {
            Path blob = store.layout().blobFor(ref, f);
            checks.add(new Verification.FileCheck(f.path(), Files.isRegularFile(blob) ? FormatChecks.check(blob, f.effectiveFormat()) : null));
        }
        return new Verification(status, checks);
    }

    /** Records this app as a user of a stored variant: prune keeps it, delete asks first. */
    public StoredModel pin(String modelRef) {
        return pinned(modelRef, true);
    }

    public StoredModel unpin(String modelRef) {
        return pinned(modelRef, false);
    }

    private StoredModel pinned(String modelRef, boolean add) {
        if (app == null) {
            throw DepotException.badInput("name the app (builder().app(NAME)) to pin or unpin");
        }
        String[] mv = storedVariant(modelRef);
        return stored(store.pin(mv[0], mv[1], app, add));
    }

    /** Deletes a stored variant; refuses (exit 1) while another app pins it, unless forced. Returns the bytes freed. */
    public long delete(String modelRef, boolean force) {
        String[] mv = storedVariant(modelRef);
        try {
            return store.delete(mv[0], mv[1], app, force);
        } catch (IOException e) {
            throw DepotException.failed("cannot delete " + mv[0] + ":" + mv[1] + ": " + e.getMessage(), e);
        }
    }

    /** Every variant the store holds. */
    public List<StoredModel> list() {
        return store.list(registry).stream().map(ModelDepot::stored).toList();
    }

    /**
     * Removes orphan blobs and stale partials, then the least recently used unpinned variants
     * until the store is under {@code maxSize} (null: the store's budget; Long.MAX_VALUE: none).
     *
     * @param olderThan only variants unused for this long (null: any)
     * @param dryRun    report what would go, remove nothing
     */
    public Pruner.Report prune(Long maxSize, Duration olderThan, boolean dryRun) {
        try {
            return store.prune(maxSize, olderThan, dryRun, registry);
        } catch (IOException e) {
            throw DepotException.failed("cannot prune the store at " + store.layout().root() + ": " + e.getMessage(), e);
        }
    }

    /** What a download queue runs for this depot: {@link #ensure} by "model:variant" key. */
    public VariantInstaller installer() {
        return (key, listener, cancel) -> ensure(registry.resolve(key), listener, cancel);
    }

    /** A persistent download queue next to this store (its state file in the store), running {@link #installer()}. */
    public DownloadQueue queue(int maxActive) {
        return new DownloadQueue(DownloadQueue.defaultStateFile(store.layout().root()), installer(), maxActive, clock);
    }

    /**
     * A variant named by a source (hf://, oci://) with its files, resolved online now (a registry's
     * bearer token is kept in memory for this depot's downloads from that registry); a plain
     * variant, or any variant when offline, is returned as it is (the store then uses the last
     * resolution it recorded).
     */
    public VariantRef resolveSource(VariantRef ref) {
        if (ref.variant().resolved() || sources == null) {
            return ref;
        }
        try {
            return sources.resolve(ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while resolving " + ref.variant().source().uri());
        }
    }

    /** "MODEL[:VARIANT]" to the registry's variant; an unknown one is bad input (exit 2). */
    public VariantRef resolve(String modelRef) {
        return registry.resolve(modelRef);
    }

    /** MODEL[:VARIANT] to (model, variant): by the registry, else literally for a stored variant it no longer lists. */
    public String[] storedVariant(String modelRef) {
        try {
            VariantRef ref = registry.resolve(modelRef);
            return new String[] {ref.model().id(), ref.variant().id()};
        } catch (DepotException e) {
            String[] parts = modelRef.split(":", 2);
            if (parts.length == 2 && store.meta(parts[0], parts[1]).isPresent()) {
                return parts;
            }
            throw e;
        }
    }

    public Registry registry() {
        return registry;
    }

    /** The store underneath, for the commands' store-level work (import, du, repairs). */
    public ModelStore store() {
        return store;
    }

    public StoreChoice storeChoice() {
        return choice;
    }

    /** The app this depot records as a user, or null. */
    public String app() {
        return app;
    }

    /** Problems found and repaired along the way (damaged metadata rebuilt, corrupt blobs quarantined). */
    public List<String> warnings() {
        return store.warnings();
    }

    /** Stops the depot's own thread pool (an executor given to the builder is the caller's to stop). */
    @Override
    public void close() {
        if (ownsExecutor) {
            executor.shutdownNow();
        }
        BundleSource opened;
        synchronized (this) {
            opened = bundleFirst;
        }
        if (opened != null) {
            try {
                opened.bundle().close();
            } catch (java.io.IOException e) {
                // Read-only channels: nothing was written that closing could lose.
            }
        }
    }

    private ReadyModel ready(VariantRef ref, Path dir) {
        StoreLayout layout = store.layout();
        List<ReadyModel.File> files = ref.variant().files().stream().map(f -> new ReadyModel.File(f.path(),
                layout.readablePath(ref, f), f.size(), f.sha256(), f.effectiveFormat(), f.role())).toList();
        return new ReadyModel(ref.key(), dir, files, choice);
    }

    private static StoredModel stored(VariantMeta m) {
        return new StoredModel(m.key(), m.model(), m.variant(), m.name(), m.size(), m.state(), m.apps(), m.downloadedAt(), m.lastUsed());
    }
}
