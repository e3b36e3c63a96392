package dev.modeldepot.service;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.HfCache;
import dev.modeldepot.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The store as the service reports it: a variant is in the store when the store's own status
 * says it is usable (READY, or UNVERIFIED when the registry gives no sha256), and in the Hugging
 * Face cache when every file is a blob there, found by its sha256 the way the store adopts it.
 */
public final class StoreStatusView implements StoreView {
    private final ModelStore store;
    private final HfCache hfCache;

    /** {@code hfCache} may be null: then nothing is in it. */
    public StoreStatusView(ModelStore store, HfCache hfCache) {
        this.store = store;
        this.hfCache = hfCache;
    }

    @Override
    public boolean inStore(VariantRef ref) {
        try {
            // Stamps and sizes only: this runs in an HTTP handler, which must never hash a blob.
            return store.statusFromStamps(ref).usable();
        } catch (DepotException e) {
            // An unreadable store or a variant busy beyond the lock wait: not known to be there.
            return false;
        }
    }

    @Override
    public String storeState(VariantRef ref) {
        try {
            return store.statusFromStamps(ref).state().word();
        } catch (DepotException e) {
            return null;
        }
    }

    @Override
    public boolean inHfCache(VariantRef ref) {
        List<ModelFile> files = ref.variant().files();
        // A file without a sha256 cannot be recognised in the cache, so such a variant is never "in" it.
        if (hfCache == null || files.isEmpty() || files.stream().anyMatch(f -> f.sha256() == null)) {
            return false;
        }
        try {
            return files.stream().allMatch(f -> hasSize(hfCache.findBlob(f.sha256()), f.size()));
        } catch (DepotException e) {
            return false; // a registry sha256 that is not 64 lowercase hex digits
        }
    }

    private static boolean hasSize(Optional<Path> blob, long size) {
        try {
            return blob.isPresent() && Files.size(blob.get()) == size;
        } catch (IOException e) {
            return false;
        }
    }
}
