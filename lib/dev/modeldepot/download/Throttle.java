package dev.modeldepot.download;

/** --limit-rate: one budget shared by all connections of a file. Without a limit it does nothing. */
final class Throttle {
    private final long bytesPerSecond;
    private long nextFreeNanos;

    Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Waits until {@code bytes} may be written; false when {@code stop} ended the wait first. */
    boolean acquire(long bytes, java.util.function.BooleanSupplier stop) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return true;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos < now) {
                nextFreeNanos = now;
            }
            wait = nextFreeNanos - now;
            nextFreeNanos += bytes * 1_000_000_000L / bytesPerSecond;
        }
        if (wait <= 0) {
            return true;
        }
        if (wait < Sleeper.STEP_MILLIS * 1_000_000) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            return true;
        }
        return Sleeper.sleep(wait / 1_000_000, stop); // a low --limit-rate must not delay a cancel
    }
}
