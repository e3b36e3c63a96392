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
 * @param present    bytes of them already here (complete files and partials)
 * @param toDownload bytes still to fetch to make it ready
 * @param files      each file's state (and the reason when it is not ready)
 * @param verifiedAt when its files were last fully hashed, null if never
 * @param store      the store asked: shared or app-local, and where
 */
public record ModelStatus(String key, String model, String variant, State state, long size, long present, long toDownload,
                          List<FileStatus> files, Instant verifiedAt, StoreChoice store) {
    public ModelStatus {
        files = List.copyOf(files);
    }

    static ModelStatus of(VariantStatus s, StoreChoice store) {
        return new ModelStatus(s.key(), s.model(), s.variant(), s.state(), s.size(), s.present(), s.toDownload(), s.files(), s.verifiedAt(), store);
    }

    /** The same status in another state (check-models marks a variant whose source moved OUTDATED). */
    public ModelStatus withState(State other) {
        return new ModelStatus(key, model, variant, other, size, present, toDownload, files, verifiedAt, store);
    }

    /** How much of it is here, 0 to 100. */
    public int percent() {
        return VariantStatus.percent(present, size);
    }

    /** "partial 42%" for a partial variant, else the state word. */
    public String label() {
        return VariantStatus.label(state, percent());
    }

    /** Usable now: verified, or present but unverifiable because the registry gives no hash. */
    public boolean ready() {
        return state == State.READY || state == State.UNVERIFIED;
    }
}
