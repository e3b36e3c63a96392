package dev.modeldepot.store;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the store holds of one variant, as check-models and apps see it.
 *
 * @param present    bytes already on disk (verified blobs plus partial downloads)
 * @param toDownload bytes still to fetch to make it ready
 * @param verifiedAt when its files were last fully hashed (the oldest stamp), null if never
 */
public record VariantStatus(String key, String model, String variant, State state, long size, long present,
                            long toDownload, List<FileStatus> files, Instant verifiedAt) {
    public enum State {
        READY, UNVERIFIED, PARTIAL, MISSING, OUTDATED, CORRUPT,
        /**
         * The blob is sound, but the path apps open (models/&lt;id&gt;/&lt;variant&gt;/&lt;file&gt;) is not it:
         * replaced, linked elsewhere or gone. {@code model-store path} and {@code check-models
         * --download} link it again; nothing needs downloading.
         */
        DAMAGED_LINK;

        /** "ready", ..., "damaged link": the same word on screen and in JSON. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** One file: its state and the reason when it is not ready. */
    public record FileStatus(String path, State state, long size, long present, String detail) {}

    public VariantStatus {
        files = List.copyOf(files);
    }

    /** "partial 42%" for partial variants, else the state word. */
    public String label() {
        return label(state, percent());
    }

    public int percent() {
        return percent(present, size);
    }

    /** The label and percent rules, shared with the API's ModelStatus. */
    public static String label(State state, int percent) {
        return state == State.PARTIAL ? "partial " + percent + "%" : state.word();
    }

    public static int percent(long present, long size) {
        return size <= 0 ? 100 : (int) Math.min(100, present * 100 / size);
    }

    /** Ready to use: verified, or present but unverifiable because the registry gives no hash. */
    public boolean usable() {
        return state == State.READY || state == State.UNVERIFIED;
    }
}
