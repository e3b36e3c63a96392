package dev.modeldepot.verify;

/**
 * Aggregate progress of a verification run: an immutable snapshot handed to listeners.
 *
 * @param bytesPerSecond over a sliding window; 0 until there are two samples
 * @param etaSeconds     -1 when unknown
 */
public record RunProgress(long bytesDone, long bytesTotal, int filesDone, int filesTotal,
                          double bytesPerSecond, long etaSeconds, boolean finished) {}
