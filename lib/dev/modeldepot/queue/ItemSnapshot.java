package dev.modeldepot.queue;

import java.time.Instant;

/**
 * One queue entry as immutable values, published by the queue for the dashboard and the service.
 *
 * @param key          "model:variant"
 * @param etaSeconds   -1 when unknown
 * @param lastError    one redacted sentence, or null
 * @param errorCode    the exit code the last failure maps to (3 = integrity: the file is corrupt), 0 for none
 */
public record ItemSnapshot(String key, ItemState state, int priority, String currentFile, int filesDone, int filesTotal,
                           long bytesDone, long bytesTotal, double bytesPerSecond, long etaSeconds,
                           Instant queuedAt, Instant startedAt, Instant finishedAt, String lastError,
                           int errorCode) {
    public double percent() {
        return bytesTotal <= 0 ? (state == ItemState.COMPLETED ? 100.0 : 0.0) : 100.0 * bytesDone / bytesTotal;
    }
}
