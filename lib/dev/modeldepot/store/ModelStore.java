package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Stamp;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared, content-addressed model store (layout in {@link StoreLayout}). Safe to use from
 * several threads and several processes at once: see {@link StoreLocks} and {@link Installer}.
 */
public final class ModelStore {
    private final StoreLayout layout;
    private final Clock clock;
    private final StoreOptions options;
    private final StoreLocks locks;
    private final MetaStore metas;
    private final Warnings warnings = new Warnings();
    private final String registryLabel;

    private ModelStore(Path root, Clock clock, StoreOptions options, String registryLabel, MetaStore.Cache cache) {
        this.registryLabel = registryLabel;
        this.layout = new StoreLayout(root);
        this.clock = clock;
        this.options = options;
        this.locks = new StoreLocks(layout, options.lockWait());
        this.metas = new MetaStore(layout, clock, this::warn, cache);
    }

    public static ModelStore open(Path root, Clock clock) {
        return open(root, clock, StoreOptions.defaults(System.getenv()));
    }

    public static ModelStore open(Path root, Clock clock, StoreOptions options) {
        return new ModelStore(root, clock, options, null, new MetaStore.Cache());
    }

    /** The same store, recording {@code registry}'s source (redacted) in the documents it writes. */
    public ModelStore forRegistry(Registry registry) {
        // The same parsed documents too: a long-running service opens the store this way once per request.
        return new ModelStore(layout.root(), clock, options, registry == null ? null : dev.modeldepot.core.Redact.text(registry.source()),
                metas.cache());
    }

    String registryLabel() {
        return registryLabel;
    }

    public StoreLayout layout() {
        return layout;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Problems found and repaired along the way (damaged metadata, corrupt blobs quarantined),
     * each said once however often it was found, at most the {@value Warnings#KEEP} newest.
     */
    public List<String> warnings() {
        return warnings.list();
    }

    /**
     * The warnings so far, forgetting them: a long-running caller (the service, the dashboard)
     * takes the warnings of each operation this way instead of letting them pile up.
     */
    public List<String> takeWarnings() {
        return warnings.take();
    }

    public VariantStatus status(VariantRef ref, boolean deep) {
        if (!ref.variant().resolved()) {
            Optional<VariantRef> last = lastResolution(ref);
            if (last.isEmpty()) {
                return new VariantStatus(ref.key(), ref.model().id(), ref.variant().id(), VariantStatus.State.MISSING, 0, 0, 0, List.of(), null);
            }
            ref = last.get();
        }
        try {
            VariantMeta meta = loadOrRebuild(ref).orElse(null);
            StatusChecker.Result result = new StatusChecker(layout, clock).check(ref, meta, knownStamps(), deep);
            if (meta != null && !result.newStamps().isEmpty()) {
                new StampRecords(this).writeIfFree(ref, result.newStamps());
            }
            return result.status();
        } catch (IOException e) {
            throw DepotException.failed("cannot read the store at " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The status from stamps and sizes only, never hashing and never waiting for a lock: what the
     * service's HTTP handlers and the dashboard ask. A blob whose stamp no longer matches reads
     * {@code unverified} here; {@link #status} with a worker's time to spare hashes it.
     */
    public VariantStatus statusFromStamps(VariantRef ref) {
        try {
            VariantMeta meta = metas.read(ref.model().id(), ref.variant().id()).meta();
            return new StatusChecker(layout, clock).check(ref, meta, knownStamps(), false, true).status();
        } catch (IOException e) {
            throw DepotException.failed("cannot read the store at " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why the path apps open for one file of a variant is not its blob (replaced, linked elsewhere,
     * gone), or empty when it is, or when there is no blob to compare with. Attributes only; with
     * {@code deep} a copy is hashed. For verify-model-integrity, which checks blobs by itself.
     */
    public Optional<String> readableDamage(VariantRef ref, ModelFile file, boolean deep) {
        try {
            Path blob = layout.blobFor(ref, file);
            if (!Files.isRegularFile(blob)) {
                return Optional.empty();
            }
            FileMeta recorded = meta(ref.model().id(), ref.variant().id()).flatMap(m -> m.file(file.path())).orElse(null);
            return Optional.ofNullable(ReadablePaths.inspect(layout, blob, layout.readablePath(ref, file), recorded, file.sha256(), deep).damage());
        } catch (IOException e) {
            throw DepotException.failed("cannot read the store at " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    /** Path to the stamp the store holds for each file of a variant (see {@link StampRecords}). */
    public Map<String, Stamp> stamps(VariantRef ref) {
        try {
            return new StampRecords(this).of(ref);
        } catch (IOException e) {
            throw DepotException.failed("cannot read the store at " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    /** Records full passes' stamps (path to stamp; other bytes than expected = corrupt), waiting boundedly for an install. */
    public void recordStamps(VariantRef ref, Map<String, Stamp> byPath) throws IOException {
        try (var lock = locks.acquire(StoreLocks.variant(ref.model().id(), ref.variant().id()), "the lock on " + ref.key())) {
            new StampRecords(this).writeLocked(ref, byPath);
        }
    }

    /** Takes a corrupt file out of use (see {@link CorruptBlobs}); returns where its blob went, empty when deleted. */
    public Optional<Path> discardCorrupt(VariantRef ref, String path, Stamp seen, Map<String, Object> why, boolean quarantine) throws IOException {
        return new CorruptBlobs(this).discard(ref, path, seen, why, quarantine);
    }

    /** The store's quarantine folder. */
    public Quarantine quarantine() {
        return new Quarantine(layout.quarantine(), clock);
    }

    /**
     * Downloads and verifies what is missing, links every file, records {@code app} as a user.
     * Failures are {@link DepotException}s with their exit code (a cancel is INTERRUPTED).
     */
    public Path install(VariantRef ref, FileFetcher fetcher, DownloadListener listener, Cancellation cancel, String app) {
        try {
            return new Installer(this).install(resolvedOrLast(ref), fetcher, listener, cancel, app);
        } catch (DepotException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("the install of " + ref.key() + " was interrupted; its partial files are kept");
        } catch (Exception e) {
            throw DepotException.failed("cannot install " + ref.key() + ": " + dev.modeldepot.core.Errors.messageOf(e), e);
        }
    }

    /** A sourced variant must be resolved (by the sources package) before the store can install it; else its last resolution. */
    private VariantRef resolvedOrLast(VariantRef ref) {
        if (ref.variant().resolved()) {
            return ref;
        }
        return lastResolution(ref).orElseThrow(() -> DepotException.failed(ref.key() + " comes from "
                + ref.variant().source().uri() + ", which has not been resolved yet; download it once while online"));
    }

    /**
     * The variant's folder if every file is in the store (links repaired, last-used updated), else
     * empty. A damaged link (the readable path replaced, or linked elsewhere) is replaced by a
     * fresh link to the verified blob.
     */
    public Optional<Path> path(VariantRef ref) {
        VariantStatus status = status(ref, false);
        if (!status.usable() && status.state() != VariantStatus.State.DAMAGED_LINK) {
            return Optional.empty();
        }
        return Optional.of(install(ref, FileFetcher.NONE, DownloadListener.NONE, new Cancellation(), null));
    }

    public long freeSpace() {
        try {
            Path p = layout.root();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The stored variants' metadata. {@code unreadable} names damaged documents that could not be
     * rebuilt (the registry does not know the variant); they stay in place and are reported.
     */
    public record Listing(List<VariantMeta> metas, List<String> unreadable) {}

    /** Every stored variant's metadata; damaged documents are rebuilt when the registry knows the variant. */
    public List<VariantMeta> list(Registry registry) {
        return listing(registry).metas();
    }

    public Listing listing(Registry registry) {
        try {
            List<VariantMeta> out = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (MetaStore.Loaded l : metas.all()) {
                if (l.meta() != null) {
                    out.add(l.meta());
                    continue;
                }
                Optional<VariantMeta> rebuilt = registry == null ? Optional.empty()
                        : refOf(registry, l.model(), l.variant()).flatMap(this::rebuildUnlessLocked);
                rebuilt.ifPresentOrElse(out::add, () -> unreadable.add(l.model() + ":" + l.variant()));
            }
            return new Listing(out, unreadable);
        } catch (IOException e) {
            throw DepotException.failed("cannot read the store at " + layout.root() + ": " + e.getMessage(), e);
        }
    }

    public Optional<VariantMeta> meta(String model, String variant) {
        return Optional.ofNullable(metas.read(model, variant).meta());
    }

    public VariantMeta pin(String model, String variant, String app, boolean add) {
        if (app == null || app.isBlank()) {
            throw DepotException.badInput("name the app with --app NAME (or MODELDEPOT_APP)");
        }
        try (var lock = locks.acquire(StoreLocks.variant(model, variant), "the lock on " + model + ":" + variant)) {
            VariantMeta meta = meta(model, variant).orElseThrow(() ->
                    DepotException.failed(model + ":" + variant + " is not in the store; download it first"));
            VariantMeta updated = meta.withApp(app, add);
            metas.write(updated);
            return updated;
        } catch (IOException e) {
            throw DepotException.failed("cannot update the metadata of " + model + ":" + variant + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a variant; refuses (exit 1, naming them) while other apps pin it, unless forced.
     * Returns the bytes actually freed (a blob still used or linked elsewhere frees nothing).
     */
    public long delete(String model, String variant, String app, boolean force) throws IOException {
        return new Pruner(this).delete(model, variant, app, force);
    }

    /** Orphan blobs, stale partials, then LRU unpinned variants down to {@code maxSize} (else the budget). */
    public Pruner.Report prune(Long maxSize, java.time.Duration olderThan, boolean dryRun, Registry registry) throws IOException {
        return new Pruner(this).prune(maxSize, olderThan, dryRun, registry);
    }

    /** Adopts a file or folder already on disk after matching it by sha256 against the registry. */
    public Importer.Report importPath(Path source, VariantRef target, Registry registry, String app) throws Exception {
        return new Importer(this).importPath(source, target, registry, app);
    }

    /** Bytes the store holds on disk: unique blobs, unverified files, partial downloads (as kept) and quarantine. */
    public long usage() throws IOException {
        return new Pruner(this).usage();
    }

    /** What partial downloads really hold (their records of completed ranges), not their preallocated length. */
    public long partialBytes() throws IOException {
        return Pruner.partialUsage(layout.partial());
    }

    public StoreSettings settings() {
        return StoreSettings.load(layout.settingsFile());
    }

    public void saveSettings(StoreSettings settings) throws IOException {
        Files.createDirectories(layout.root());
        settings.save(layout.settingsFile());
    }

    // ---- package-private helpers for Installer, Remover, Importer ----

    StoreLocks locks() {
        return locks;
    }

    MetaStore metas() {
        return metas;
    }

    /** How long an install waits for another process's download of the same blob that makes no progress. */
    java.time.Duration fetchWait() {
        return options.fetchWait();
    }

    Linker linker() {
        return options.linker();
    }

    HfCache hfCache() {
        return options.hfCache();
    }

    void warn(String message) {
        warnings.add(message);
    }

    /** The metadata of a variant; a damaged document is rebuilt from the blobs. */
    Optional<VariantMeta> loadOrRebuild(VariantRef ref) {
        MetaStore.Loaded l = metas.read(ref.model().id(), ref.variant().id());
        return l.damaged() ? rebuild(ref) : Optional.ofNullable(l.meta());
    }

    /** As {@link #loadOrRebuild}, for a caller that already holds the variant lock. */
    Optional<VariantMeta> loadOrRebuildLocked(VariantRef ref) {
        MetaStore.Loaded l = metas.read(ref.model().id(), ref.variant().id());
        return l.damaged() ? new MetaRebuilder(this).rebuildLocked(ref) : Optional.ofNullable(l.meta());
    }

    VariantMeta freshMeta(VariantRef ref) {
        return MetaRebuilder.freshMeta(ref, clock);
    }

    VariantMeta withRegistryFiles(VariantMeta meta, VariantRef ref) {
        return MetaRebuilder.withRegistryFiles(meta, ref);
    }

    /** The newest stamp for each expected sha256 in any document (see {@link StampRecords}). */
    Map<String, Stamp> knownStamps() throws IOException {
        return new StampRecords(this).known();
    }

    /** Moves a corrupt blob into quarantine/ with a note of why; {@code label} names the file the user knows. */
    Path quarantineBlob(Path blob, String label, String why) throws IOException {
        Map<String, Object> note = new java.util.LinkedHashMap<>();
        note.put("file", label);
        note.put("blob", blob.getFileName().toString());
        note.put("reason", why);
        Path target = quarantine().put(blob, blob.getFileName().toString(), note);
        warn("moved " + label + " to quarantine: " + why);
        return target;
    }

    public static Optional<VariantRef> refOf(Registry registry, String model, String variant) {
        return registry.model(model).flatMap(m -> m.variant(variant).map(v -> new VariantRef(m, v)));
    }

    /**
     * A sourced variant (hf://, oci://) as it was last resolved and installed, from its document:
     * what --offline uses instead of asking the Hub or the registry again. Empty when never
     * installed, or installed from another repository.
     */
    public Optional<VariantRef> lastResolution(VariantRef ref) {
        var source = ref.variant().source();
        if (source == null) {
            return Optional.of(ref);
        }
        return meta(ref.model().id(), ref.variant().id())
                .filter(m -> m.source() != null && m.source().startsWith(source.base() + "@"))
                .map(m -> {
                    List<ModelFile> files = m.files().stream().map(f -> new ModelFile(f.path(), f.url() == null ? null : java.net.URI.create(f.url()),
                            List.of(), f.size(), f.sha256(), f.format(), f.role())).toList();
                    String pin = m.source().substring(source.base().length() + 1);
                    return ref.with(ref.variant().withResolution(source.pinnedTo(pin), files));
                });
    }

    /** A variant as its own document describes it, for stored variants the registry no longer lists. */
    public static VariantRef refOf(VariantMeta meta) {
        List<ModelFile> files = meta.files().stream().map(f -> new ModelFile(f.path(), null, List.of(), f.size(), f.sha256(), f.format(), f.role())).toList();
        Variant v = new Variant(meta.variant(), false, null, null, files);
        return new VariantRef(new Model(meta.model(), meta.name(), null, null, meta.license(), meta.homepage(), List.of(), List.of(v)), v);
    }

    /**
     * Rebuilds only if the variant lock is free right now, never waiting: prune lists under the
     * store lock, and a wait there would stall every other store operation behind an install.
     * A variant someone holds is reported as unreadable this time.
     */
    private Optional<VariantMeta> rebuildUnlessLocked(VariantRef ref) {
        var lock = locks.tryAcquire(StoreLocks.variant(ref.model().id(), ref.variant().id()));
        if (lock.isEmpty()) {
            warn("could not rebuild the metadata of " + ref.key() + " now: another process is using it");
            return Optional.empty();
        }
        try (var held = lock.get()) {
            return new MetaRebuilder(this).rebuildLocked(ref);
        }
    }

    private Optional<VariantMeta> rebuild(VariantRef ref) {
        try (var lock = locks.acquire(StoreLocks.variant(ref.model().id(), ref.variant().id()), "the lock on " + ref.key())) {
            return new MetaRebuilder(this).rebuildLocked(ref);
        }
    }

}
