package dev.modeldepot.store;

import dev.modeldepot.core.Stamp;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The verification stamps of stored files, kept in the variants' metadata documents (one per
 * file). They are the single memory of full passes for check-models and verify-model-integrity
 * alike. A stamp records what a full pass saw: when its sha256 differs from the file's expected
 * one, it records a corrupt verdict, which stands (without hashing) while the blob is unchanged.
 */
final class StampRecords {
    private final ModelStore store;

    StampRecords(ModelStore store) {
        this.store = store;
    }

    /** The newest stamp seen for each expected sha256 in any document, so a shared blob is hashed once. */
    Map<String, Stamp> known() throws IOException {
        Map<String, Stamp> out = new HashMap<>();
        for (MetaStore.Loaded l : store.metas().all()) {
            if (l.meta() == null) {
                continue;
            }
            for (FileMeta f : l.meta().files()) {
                if (f.sha256() != null && f.stamp() != null && f.stamp().sha256() != null && f.stamp().verifiedAt() != null) {
                    out.merge(f.sha256(), f.stamp(), (a, b) -> a.verifiedAt().isAfter(b.verifiedAt()) ? a : b);
                }
            }
        }
        return out;
    }

    /** Path to the stamp the store holds for each file of the variant (the newest for its blob). */
    Map<String, Stamp> of(VariantRef ref) throws IOException {
        Map<String, Stamp> known = known();
        VariantMeta meta = store.metas().read(ref.model().id(), ref.variant().id()).meta();
        Map<String, Stamp> out = new HashMap<>();
        for (ModelFile f : ref.variant().files()) {
            Stamp s = f.sha256() != null ? known.get(f.sha256())
                    : meta == null ? null : meta.file(f.path()).map(FileMeta::stamp).orElse(null);
            if (s != null && s.sha256() != null) {
                out.put(f.path(), s);
            }
        }
        return out;
    }

    /**
     * Writes stamps (path to stamp) into the variant's document, for files whose recorded blob is
     * the registry's (an outdated document keeps its own). The caller holds the variant lock.
     */
    void writeLocked(VariantRef ref, Map<String, Stamp> byPath) throws IOException {
        VariantMeta meta = store.metas().read(ref.model().id(), ref.variant().id()).meta();
        if (meta == null) {
            return;
        }
        List<FileMeta> files = meta.files().stream().map(fm -> {
            Stamp s = byPath.get(fm.path());
            ModelFile f = ref.variant().file(fm.path()).orElse(null);
            return s != null && f != null && Objects.equals(f.sha256(), fm.sha256()) ? fm.withStamp(s) : fm;
        }).toList();
        store.metas().write(meta.withFiles(files, meta.state()));
    }

    /** As {@link #writeLocked} with stamps keyed by expected sha256, only if no install holds the variant (best effort). */
    void writeIfFree(VariantRef ref, Map<String, Stamp> bySha) throws IOException {
        var lock = store.locks().tryAcquire(StoreLocks.variant(ref.model().id(), ref.variant().id()));
        if (lock.isEmpty()) {
            return; // an install holds the variant: it writes its own stamps
        }
        try (var held = lock.get()) {
            Map<String, Stamp> byPath = new HashMap<>();
            ref.variant().files().stream().filter(f -> f.sha256() != null && bySha.containsKey(f.sha256()))
                    .forEach(f -> byPath.put(f.path(), bySha.get(f.sha256())));
            writeLocked(ref, byPath);
        }
    }
}
