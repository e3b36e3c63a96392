package dev.modeldepot.download;

import java.util.concurrent.atomic.AtomicBoolean;

/** A flag a caller sets to stop a download; the engine keeps the partial and its state. */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
