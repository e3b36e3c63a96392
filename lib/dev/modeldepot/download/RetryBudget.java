package dev.modeldepot.download;

/**
 * Counts failed attempts that made no meaningful progress; only those use up --retries. A byte
 * here and there is not progress (a trickling server used to reset the count forever), and
 * neither is a single stream that starts over and dies at the same place again.
 */
final class RetryBudget {
    /** An attempt that brought at least this much (or a whole segment, if smaller) was worth it. */
    static final long MEANINGFUL_BYTES = 1L << 20;

    private final int retries;
    private int inARow;
    private long furthest;

    RetryBudget(int retries) {
        this.retries = retries;
    }

    /** A ranged request failed after writing {@code bytes} new bytes; returns the attempt number it counts as. */
    synchronized int rangeFailed(long bytes, long segmentSize) {
        if (bytes >= Math.min(MEANINGFUL_BYTES, Math.max(1, segmentSize))) {
            inARow = 0;
        }
        return ++inARow;
    }

    /** A single stream (which restarts from 0) failed at {@code reached}: progress only past the furthest earlier attempt. */
    synchronized int streamFailed(long reached) {
        if (reached - furthest >= MEANINGFUL_BYTES) {
            inARow = 0;
        }
        furthest = Math.max(furthest, reached);
        return ++inARow;
    }

    /** True when an attempt with this number may still be made. */
    boolean allows(int attempt) {
        return attempt <= retries;
    }

    int retries() {
        return retries;
    }
}
