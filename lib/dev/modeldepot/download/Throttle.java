package dev.modeldepot.download;

/** --limit-rate: one budget shared by all connections of a file. Without a limit it does nothing. */
final class Throttle {
    private final long bytesPerSecond;
    private long nextFreeNanos;

    Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    boolean limited() {
        return bytesPerSecond > 0;
    }

    /**
     * Books {@code bytes} that just arrived and says how long (nanoseconds) their connection
     * should wait before reading more. Never sleeps: the caller is the HTTP client's thread.
     */
    long reserve(long bytes) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos < now) {
                nextFreeNanos = now;
            }
            nextFreeNanos += bytes * 1_000_000_000L / bytesPerSecond;
            return nextFreeNanos - now;
        }
    }
}
