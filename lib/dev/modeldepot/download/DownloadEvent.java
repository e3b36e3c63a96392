package dev.modeldepot.download;

import java.nio.file.Path;

/**
 * What happens to one file, as immutable values safe to hand between threads. The JSON Lines
 * output of {@code --json} is these events, with "event" named after the record.
 */
public sealed interface DownloadEvent {
    /** The label of the file, e.g. "llava:q4_k_m/model.gguf". */
    String label();

    record Queued(String label, long total) implements DownloadEvent {}

    /** Transfer begins; {@code bytes} is what a resume already has; {@code connections} 0 means a local copy (an offline bundle). */
    record Started(String label, long bytes, long total, int connections) implements DownloadEvent {}

    /** At least once a second while bytes flow; {@code etaSeconds} is -1 when unknown. */
    record Progress(String label, long bytes, long total, double bytesPerSecond, long etaSeconds) implements DownloadEvent {}

    record Retry(String label, int attempt, String reason, long delayMillis) implements DownloadEvent {}

    /**
     * Size and hash match what was expected; {@code checked} is false when no SHA-256 was given,
     * so the hash is only what was received ("saved (no checksum given)", never "verified").
     */
    record Verified(String label, String sha256, long size, boolean checked) implements DownloadEvent {
        public Verified(String label, String sha256, long size) {
            this(label, sha256, size, sha256 != null);
        }
    }

    record Completed(String label, Path path, long size) implements DownloadEvent {}

    /** {@code code} is the exit code the failure maps to; the message is one redacted sentence. */
    record Failed(String label, int code, String message) implements DownloadEvent {}
}
