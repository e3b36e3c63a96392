package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Stamp;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes a corrupt stored file out of use: the readable paths linked to its blob are removed (so no
 * app opens it), then the blob goes to quarantine/ with its why-note, or is deleted. The variant
 * then reads as missing until repaired. Refused when the blob changed since {@code seen} was taken
 * (repaired meanwhile).
 */
final class CorruptBlobs {
    private final ModelStore store;

    CorruptBlobs(ModelStore store) {
        this.store = store;
    }

    Optional<Path> discard(VariantRef ref, String path, Stamp seen, Map<String, Object> why, boolean quarantine) throws IOException {
        ModelFile f = ref.variant().file(path).orElseThrow(() -> DepotException.badInput(ref.key() + " has no file " + path));
        StoreLayout layout = store.layout();
        Path blob = layout.blobFor(ref, f);
        String label = ref.key() + "/" + path;
        try (var variantLock = store.locks().acquire(StoreLocks.variant(ref.model().id(), ref.variant().id()), "the lock on " + ref.key());
             var blobLock = f.sha256() == null ? null : store.locks().acquire(StoreLocks.blob(f.sha256()), "the lock on " + label)) {
            if (seen != null && !seen.stillMatches(blob)) {
                throw DepotException.failed(label + " changed since it was verified (repaired meanwhile?); verify it again");
            }
            // Links first: once the blob has moved, a hard link would be the last copy of the bad bytes.
            for (Path link : linksTo(ref, f, blob)) {
                Files.deleteIfExists(link);
            }
            if (!Files.exists(blob, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            if (quarantine) {
                Path target = store.quarantine().put(blob, blob.getFileName().toString(), why);
                store.warn("moved " + label + " to quarantine: " + why.getOrDefault("detail", "corrupt"));
                return Optional.of(target);
            }
            BlobFiles.delete(blob);
            return Optional.empty();
        }
    }

    /** Readable paths of every stored variant that are this blob (hard or symbolic links); copies stay. */
    private List<Path> linksTo(VariantRef ref, ModelFile f, Path blob) throws IOException {
        List<Path> out = new ArrayList<>();
        StoreLayout layout = store.layout();
        List<Path> candidates = new ArrayList<>(List.of(layout.readablePath(ref, f)));
        if (f.sha256() != null) {
            for (MetaStore.Loaded l : store.metas().all()) {
                if (l.meta() != null) {
                    l.meta().files().stream().filter(fm -> f.sha256().equals(fm.sha256()))
                            .forEach(fm -> candidates.add(layout.inside(layout.variantDir(l.model(), l.variant()).resolve(fm.path()))));
                }
            }
        }
        for (Path p : candidates) {
            try {
                if (!out.contains(p) && Files.exists(p) && Files.isSameFile(p, blob)) {
                    out.add(p);
                }
            } catch (IOException e) {
                // Unreadable or gone: nothing links there.
            }
        }
        return out;
    }
}
