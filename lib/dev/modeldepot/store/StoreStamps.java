package dev.modeldepot.store;

import dev.modeldepot.core.Stamp;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.verify.Stamps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stamps of store files, read from and recorded in the store's own metadata (one stamp per
 * file in its variant's document), so verify-model-integrity and check-models share one truth:
 * a full pass by either makes the other trust the unchanged blob, and a corrupt verdict recorded
 * here makes check-models report the variant corrupt.
 */
public final class StoreStamps implements Stamps {
    private record Slot(VariantRef ref, String path) {}

    private final ModelStore store;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Stamp>> held = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Stamp>> pending = new LinkedHashMap<>();

    public StoreStamps(ModelStore store) {
        this.store = store;
    }

    /** The key of a store file, "model:variant/path"; registers the file so its stamps can be found. */
    public String key(VariantRef ref, String path) {
        String key = ref.key() + "/" + path;
        slots.put(key, new Slot(ref, path));
        return key;
    }

    @Override
    public Optional<Stamp> trusted(String key, Path path) {
        Slot slot = slots.get(key);
        if (slot == null) {
            return Optional.empty();
        }
        Stamp s = held.computeIfAbsent(slot.ref().key(), k -> store.stamps(slot.ref())).get(slot.path());
        String expected = slot.ref().variant().file(slot.path()).map(f -> f.sha256()).orElse(null);
        // A stamp of other bytes records a corruption: never trusted, the file is hashed again.
        boolean good = s != null && (expected == null || expected.equals(s.sha256()));
        return good && s.stillMatches(path) ? Optional.of(s) : Optional.empty();
    }

    @Override
    public synchronized void put(String key, Stamp stamp) {
        Slot slot = slots.get(key);
        if (slot != null) {
            pending.computeIfAbsent(slot.ref().key(), k -> new LinkedHashMap<>()).put(slot.path(), stamp);
        }
    }

    @Override
    public void putCorrupt(String key, Stamp seen) {
        if (seen != null && seen.sha256() != null) {
            put(key, seen);
        }
    }

    /** Nothing to forget: a store stamp only vouches while the blob is unchanged. */
    @Override
    public void remove(String key) {}

    @Override
    public synchronized void save() throws IOException {
        List<String> failed = new ArrayList<>();
        for (var e : pending.entrySet()) {
            VariantRef ref = slots.values().stream().filter(s -> s.ref().key().equals(e.getKey())).findFirst().orElseThrow().ref();
            try {
                store.recordStamps(ref, e.getValue());
            } catch (RuntimeException ex) {
                failed.add(ref.key() + ": " + ex.getMessage());
            }
        }
        pending.clear();
        held.clear();
        if (!failed.isEmpty()) {
            throw new IOException(String.join("; ", failed));
        }
    }

    @Override
    public String where() {
        return "the store's metadata (" + store.layout().meta() + ")";
    }
}
