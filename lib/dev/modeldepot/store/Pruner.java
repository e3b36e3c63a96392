package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.registry.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes variants and prunes the store: orphaned blobs, stale partials, then least-recently-used
 * unpinned variants down to a size. Everything happens under the store lock, and every blob or
 * variant is only try-locked: one that an install holds is skipped, never waited for or removed.
 * Blobs are listed before the metadata is read, so a blob that appeared after an install wrote
 * its metadata is always seen as referenced.
 */
public final class Pruner {
    /**
     * One thing prune removes (or would remove, with --dry-run). {@code id}, {@code variant} and
     * {@code lastUsed} are set for a model ({@code name} is then its "id:variant"), null otherwise.
     */
    public record Action(String kind, String name, long bytes, String id, String variant, Instant lastUsed) {
        Action(String kind, String name, long bytes) {
            this(kind, name, bytes, null, null, null);
        }
    }

    /** {@code target}: the size aimed for, -1 when none. */
    public record Report(List<Action> actions, long usageBefore, long usageAfter, long target, boolean dryRun) {
        public long freed() {
            return actions.stream().mapToLong(Action::bytes).sum();
        }
    }

    /** How long prune keeps quarantined files for inspection (model-store quarantine clear removes them sooner). */
    static final Duration QUARANTINE_KEPT = Duration.ofDays(7);

    private final ModelStore store;
    private final StoreLayout layout;

    Pruner(ModelStore store) {
        this.store = store;
        this.layout = store.layout();
    }

    /**
     * Deletes a variant; refuses (exit 1, naming the apps) while an app other than {@code app} pins
     * it. Returns the bytes actually freed: a blob another variant still uses, or one still hard-linked
     * outside the store, frees nothing.
     */
    long delete(String model, String variant, String app, boolean force) throws IOException {
        String key = model + ":" + variant;
        Set<String> shas;
        long freed;
        try (var lock = store.locks().acquire(StoreLocks.variant(model, variant), "the lock on " + key)) {
            VariantMeta meta = store.meta(model, variant).orElse(null);
            Path dir = layout.variantDir(model, variant);
            if (meta == null && !Files.exists(dir)) {
                throw DepotException.failed(key + " is not in the store");
            }
            if (meta != null) {
                List<String> others = meta.apps().stream().filter(a -> !a.equals(app)).toList();
                if (!others.isEmpty() && !force) {
                    throw DepotException.failed(key + " is pinned by " + String.join(", ", others)
                            + "; it stays (use --force to delete it anyway)");
                }
            }
            freed = unverifiedFreed(model, variant);
            shas = removeVariantLocked(model, variant, meta);
        }
        try (var storeLock = store.locks().acquire(StoreLocks.store(), "the store lock")) {
            List<Action> swept = new ArrayList<>();
            sweepBlobs(shas, false, swept, null);
            return freed + swept.stream().mapToLong(Action::bytes).sum();
        }
    }

    private long unverifiedFreed(String model, String variant) throws IOException {
        Path dir = layout.unverifiedBlobs().resolve(model).resolve(variant);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(BlobFiles::freedBy).sum();
        }
    }

    Report prune(Long maxSize, Duration olderThan, boolean dryRun, Registry registry) throws IOException {
        try (var storeLock = store.locks().acquire(StoreLocks.store(), "the store lock")) {
            long before = usage();
            List<Action> actions = new ArrayList<>();
            List<String> blobs = listBlobs();
            ModelStore.Listing listing = store.listing(registry);
            List<VariantMeta> metas = listing.metas();
            if (!listing.unreadable().isEmpty()) {
                store.warn("the metadata of " + String.join(", ", listing.unreadable())
                        + " is damaged and cannot be rebuilt from this registry; orphaned blobs are kept until it is fixed or deleted");
            } else {
                sweepBlobs(blobs, dryRun, actions, metas);
            }
            prunePartials(referenced(metas), olderThan, dryRun, actions);
            for (Quarantine.Entry q : store.quarantine().clear(QUARANTINE_KEPT, dryRun)) {
                actions.add(new Action("quarantine", q.name(), q.bytes()));
            }
            long target = maxSize != null ? maxSize : store.settings().budgetBytes() > 0 ? store.settings().budgetBytes() : -1;
            long usage = before - actions.stream().mapToLong(Action::bytes).sum();
            Instant cutoff = olderThan == null ? null : store.clock().instant().minus(olderThan);
            List<VariantMeta> lru = metas.stream().filter(m -> !m.pinned())
                    .filter(m -> cutoff == null || m.lastUsed() == null || m.lastUsed().isBefore(cutoff))
                    .sorted(Comparator.comparing(m -> m.lastUsed() == null ? Instant.EPOCH : m.lastUsed())).toList();
            List<VariantMeta> remaining = new ArrayList<>(metas);
            for (VariantMeta m : lru) {
                if (target >= 0 ? usage <= target : cutoff == null) {
                    break;
                }
                var lock = store.locks().tryAcquire(StoreLocks.variant(m.model(), m.variant()));
                if (lock.isEmpty()) {
                    continue; // being installed or used right now
                }
                try (var held = lock.get()) {
                    remaining.remove(m);
                    long freed = exclusiveBytes(m, remaining);
                    actions.add(new Action("model", m.key(), freed, m.model(), m.variant(), m.lastUsed()));
                    usage -= freed;
                    if (!dryRun) {
                        Set<String> shas = removeVariantLocked(m.model(), m.variant(), m);
                        sweepBlobs(shas, false, new ArrayList<>(), null);
                    }
                }
            }
            return new Report(actions, before, dryRun ? before - actions.stream().mapToLong(Action::bytes).sum() : usage(), target, dryRun);
        }
    }

    /** Bytes on disk: unique blobs, unverified files, what partial downloads really hold, and quarantine. */
    long usage() throws IOException {
        return treeSize(layout.blobs()) + treeSize(layout.unverifiedBlobs()) + partialUsage(layout.partial()) + treeSize(layout.quarantine());
    }

    /**
     * What partial downloads hold: each folder's record of completed ranges (the engine's partial
     * files are sparse, preallocated at full size, so their length says nothing), loose files by length.
     */
    static long partialUsage(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    ? dev.modeldepot.download.PartialProgress.of(p).bytes() : 0).sum();
        }
    }

    private Set<String> removeVariantLocked(String model, String variant, VariantMeta meta) throws IOException {
        BlobFiles.deleteTree(layout.variantDir(model, variant));
        MetaStore.deleteIfEmpty(layout.inside(layout.models().resolve(model)));
        BlobFiles.deleteTree(layout.inside(layout.unverifiedBlobs().resolve(model).resolve(variant)));
        MetaStore.deleteIfEmpty(layout.inside(layout.unverifiedBlobs().resolve(model)));
        store.metas().delete(model, variant);
        Set<String> shas = new HashSet<>();
        if (meta != null) {
            meta.files().stream().map(FileMeta::sha256).filter(s -> s != null).forEach(shas::add);
        }
        return shas;
    }

    /** Removes the given blobs that no document references and no install holds. Store lock held. */
    private void sweepBlobs(java.util.Collection<String> candidates, boolean dryRun, List<Action> actions, List<VariantMeta> metas) throws IOException {
        ModelStore.Listing listing = metas != null ? null : store.listing(null);
        if (listing != null && !listing.unreadable().isEmpty()) {
            return; // a damaged document may reference these blobs: keep them
        }
        Set<String> referenced = referenced(metas != null ? metas : listing.metas());
        for (String sha : candidates) {
            Path blob = layout.blob(sha);
            if (referenced.contains(sha) || !Files.isRegularFile(blob)) {
                continue;
            }
            var lock = store.locks().tryAcquire(StoreLocks.blob(sha));
            if (lock.isEmpty()) {
                continue;
            }
            try (var held = lock.get()) {
                actions.add(new Action("orphan-blob", sha, BlobFiles.freedBy(blob)));
                if (!dryRun) {
                    BlobFiles.delete(blob);
                }
            }
        }
    }

    /** Partials nobody needs any more, or (with --older-than) untouched for that long; never one being written. */
    private void prunePartials(Set<String> referenced, Duration olderThan, boolean dryRun, List<Action> actions) throws IOException {
        if (!Files.isDirectory(layout.partial())) {
            return;
        }
        Instant cutoff = olderThan == null ? null : store.clock().instant().minus(olderThan);
        // Temp files of an interrupted Hugging Face adoption or import: unique names, never resumed.
        Instant tempCutoff = store.clock().instant().minus(Duration.ofHours(1));
        try (Stream<Path> s = Files.list(layout.partial())) {
            for (Path f : s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".hf-")).toList()) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(tempCutoff)) {
                    actions.add(new Action("stale-partial", f.getFileName().toString(), BlobFiles.sizeOf(f)));
                    if (!dryRun) {
                        BlobFiles.delete(f);
                    }
                }
            }
        }
        try (Stream<Path> s = Files.list(layout.partial())) {
            for (Path dir : s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
                String sha = dir.getFileName().toString();
                boolean old = cutoff != null && Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff) && newestIn(dir).isBefore(cutoff);
                if (referenced.contains(sha) && !old) {
                    continue;
                }
                var lock = store.locks().tryAcquire(StoreLocks.blob(sha));
                if (lock.isEmpty()) {
                    continue;
                }
                try (var held = lock.get()) {
                    actions.add(new Action("stale-partial", sha, treeSize(dir)));
                    if (!dryRun) {
                        BlobFiles.deleteTree(dir);
                    }
                }
            }
        }
    }

    private static Set<String> referenced(List<VariantMeta> metas) {
        Set<String> out = new HashSet<>();
        metas.forEach(m -> m.files().forEach(f -> {
            if (f.sha256() != null) {
                out.add(f.sha256());
            }
        }));
        return out;
    }

    private long exclusiveBytes(VariantMeta m, List<VariantMeta> others) {
        Set<String> shared = referenced(others);
        long bytes = 0;
        for (FileMeta f : m.files()) {
            if (f.sha256() == null) {
                bytes += BlobFiles.sizeOf(layout.blobFor(ModelStore.refOf(m), ModelStore.refOf(m).variant().file(f.path()).orElseThrow()));
            } else if (!shared.contains(f.sha256())) {
                bytes += BlobFiles.sizeOf(layout.blob(f.sha256()));
            }
        }
        return bytes;
    }

    private List<String> listBlobs() throws IOException {
        if (!Files.isDirectory(layout.blobs())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(layout.blobs())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}")).sorted().toList();
        }
    }

    private static Instant newestIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> {
                try {
                    return Files.getLastModifiedTime(p).toInstant();
                } catch (IOException e) {
                    return Instant.now();
                }
            }).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        }
    }

    static long treeSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(BlobFiles::sizeOf).sum();
        }
    }
}
