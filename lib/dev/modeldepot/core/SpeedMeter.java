package dev.modeldepot.core;

import java.time.Clock;
import java.util.ArrayDeque;

/** Speed over a sliding window of (time, bytes) samples; the clock is injected so tests are exact. */
public final class SpeedMeter {
    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    public SpeedMeter(Clock clock, long windowMillis) {
        this.clock = clock;
        this.windowMillis = windowMillis;
    }

    /** Records the byte count now; returns bytes per second over the window (0 until two samples). */
    public synchronized double sample(long bytes) {
        long now = clock.millis();
        samples.addLast(new long[] {now, bytes});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > windowMillis) {
            samples.removeFirst();
        }
        long[] first = samples.peekFirst();
        long dt = now - first[0];
        return dt <= 0 ? 0 : (bytes - first[1]) * 1000.0 / dt;
    }

    /** Seconds left at this speed, -1 when unknown. */
    public static long eta(long bytes, long total, double bytesPerSecond) {
        if (total < 0 || bytesPerSecond <= 0) {
            return -1;
        }
        return (long) Math.ceil(Math.max(0, total - bytes) / bytesPerSecond);
    }
}
