package dev.modeldepot.queue;

/** Where a queued model variant stands. */
public enum ItemState {
    QUEUED, DOWNLOADING, PAUSED, COMPLETED, FAILED, CANCELLED;

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
