package dev.modeldepot.verify;

import dev.modeldepot.core.Stamp;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a verification run reads and records stamps: the store's metadata for store files
 * ({@link StoreStamps}, the same stamps check-models uses), a {@link StampBook} for ad-hoc files.
 */
public interface Stamps {
    /** A stamp of a good full pass that the file at {@code path} still matches. */
    Optional<Stamp> trusted(String key, java.nio.file.Path path);

    /** A full pass found the file good. */
    void put(String key, Stamp stamp);

    /** A full pass found other bytes than expected; {@code seen} stamps them (its sha256 is the actual one). */
    default void putCorrupt(String key, Stamp seen) {
        remove(key);
    }

    /** Nothing vouches for the file any more. */
    void remove(String key);

    void save() throws IOException;

    /** Where the stamps live, for messages. */
    String where();
}
