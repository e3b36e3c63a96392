package dev.modeldepot.download;

import java.time.Duration;

/**
 * --min-speed over --min-speed-time for one connection, like curl's --speed-limit/--speed-time: a
 * connection that averaged less over a whole window is treated as stalled, even if it never went
 * silent long enough for the --timeout (a server trickling a byte every two seconds).
 */
final class SpeedFloor {
    private final long bytesPerSecond;
    private final long windowNanos;
    private long windowStart;
    private long bytesAtStart;

    SpeedFloor(long bytesPerSecond, Duration window, long nowNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.windowNanos = window.toNanos();
        this.windowStart = nowNanos;
    }

    /** The floor for one of {@code connections} under a --limit-rate: never above half its share. */
    static long effective(long minSpeed, long limitRate, int connections) {
        return limitRate > 0 ? Math.min(minSpeed, limitRate / (2L * Math.max(1, connections))) : minSpeed;
    }

    /** True when the window that just ended averaged below the floor; starts the next window. */
    boolean tooSlow(long bytes, long nowNanos) {
        if (bytesPerSecond <= 0 || nowNanos - windowStart < windowNanos) {
            return false;
        }
        boolean slow = (bytes - bytesAtStart) * 1_000_000_000.0 / (nowNanos - windowStart) < bytesPerSecond;
        windowStart = nowNanos;
        bytesAtStart = bytes;
        return slow;
    }

    String describe() {
        return "slower than " + dev.modeldepot.core.Sizes.rate(bytesPerSecond) + " for " + windowNanos / 1_000_000_000 + " s (--min-speed)";
    }
}
