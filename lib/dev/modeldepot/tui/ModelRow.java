package dev.modeldepot.tui;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One model variant as the dashboard shows it: immutable, built by the backend off the GUI thread.
 *
 * @param verifiedAt  when every file last passed its SHA-256 check, or null
 * @param bytesOnDisk the variant's verified files and partial downloads together
 */
public record ModelRow(String id, String variant, long size, State state, Instant verifiedAt, long bytesOnDisk,
                       List<FileRow> files, List<String> apps, String lastError) {
    public ModelRow {
        files = List.copyOf(files);
        apps = List.copyOf(apps);
    }

    /** Where a variant stands; the word is always shown, the colour only repeats it. */
    public enum State {
        MISSING, QUEUED, DOWNLOADING, PAUSED, PARTIAL, VERIFYING, READY, OUTDATED, CORRUPT, FAILED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One file of the variant; corrupt when its bytes were found not to match (it may still be present). */
    public record FileRow(String path, String format, String role, long size, String sha256, boolean present, boolean corrupt) {
        public FileRow(String path, String format, String role, long size, String sha256, boolean present) {
            this(path, format, role, size, sha256, present, false);
        }
    }

    public String key() {
        return id + ":" + variant;
    }
}
