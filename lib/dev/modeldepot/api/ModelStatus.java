package dev.modeldepot.api;

import dev.modeldepot.store.VariantStatus;
import dev.modeldepot.store.VariantStatus.FileStatus;
import dev.modeldepot.store.VariantStatus.State;
import java.time.Instant;
import java.util.List;

/**
 * What the store holds of one model variant, for an app deciding what to do at start.
 *
 * @param key        "model:variant"
 * @param state      READY, MISSING, PARTIAL, CORRUPT (and UNVERIFIED, OUTDATED)
 * @param size       bytes of all its files
 * @param toDownload bytes still to fetch to make it ready
 * @param files      each file's state (and the reason when it is not ready)
 * @param verifiedAt when its files were last fully hashed, null if never
 * @param store      the store asked: shared or app-local, and where
 */
public record ModelStatus(String key, String model, String variant, State state, long size, long toDownload,
                          List<FileStatus> files, Instant verifiedAt, StoreChoice store) {
    public ModelStatus {
        files = List.copyOf(files);
    }

    static ModelStatus of(VariantStatus s, StoreChoice store) {
        return new ModelStatus(s.key(), s.model(), s.variant(), s.state(), s.size(), s.toDownload(), s.files(), s.verifiedAt(), store);
    }

    /** Usable now: verified, or present but unverifiable because the registry gives no hash. */
    public boolean ready() {
        return state == State.READY || state == State.UNVERIFIED;
    }
}
