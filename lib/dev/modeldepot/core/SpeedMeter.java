package dev.modeldepot.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Speed over a sliding window of (time, cumulative bytes) samples, on an injected clock so tests
 * are exact. The one speed meter: the download engine, the store's wait for another installer,
 * verify runs and the download queue all use it.
 *
 * <p>The speed is measured from the oldest sample in the window up to now (not up to the last
 * sample), so a stall pulls it down instead of freezing it. When the window holds a single
 * sample (events slower than the window), the newest sample before it stays as the baseline.
 */
public final class SpeedMeter {
    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    public SpeedMeter(Clock clock, long windowMillis) {
        this.clock = clock;
        this.windowMillis = windowMillis;
    }

    /** A meter told the time of each sample ({@link #add}); {@link #sample} needs a clock. */
    public SpeedMeter(Duration window) {
        this(null, window.toMillis());
    }

    /** Records the byte count now; returns bytes per second over the window (0 until two samples). */
    public synchronized double sample(long bytes) {
        long now = Objects.requireNonNull(clock, "this meter is given the time of each sample").millis();
        add(now, bytes);
        return bytesPerSecond(now);
    }

    public synchronized void add(Instant at, long cumulativeBytes) {
        add(at.toEpochMilli(), cumulativeBytes);
    }

    /** Bytes per second from the window's baseline sample up to {@code now}; 0 until two samples. */
    public synchronized double bytesPerSecond(Instant now) {
        return bytesPerSecond(now.toEpochMilli());
    }

    /** Forgets every sample (a new run starts from nothing). */
    public synchronized void reset() {
        samples.clear();
    }

    private void add(long atMillis, long bytes) {
        samples.addLast(new long[] {atMillis, bytes});
        trim(atMillis);
    }

    private double bytesPerSecond(long nowMillis) {
        trim(nowMillis);
        if (samples.size() < 2) {
            return 0;
        }
        long[] base = samples.peekFirst();
        long millis = nowMillis - base[0];
        long bytes = samples.peekLast()[1] - base[1];
        return millis <= 0 || bytes <= 0 ? 0 : bytes * 1000.0 / millis;
    }

    /** Drops samples older than the window, keeping one before it while the window holds fewer than two. */
    private void trim(long nowMillis) {
        while (samples.size() > 1 && old(samples.peekFirst(), nowMillis)) {
            long[] first = samples.pollFirst();
            long[] second = samples.peekFirst();
            if (samples.size() == 1 && !old(second, nowMillis)) {
                samples.addFirst(first);
                return;
            }
        }
    }

    private boolean old(long[] sample, long nowMillis) {
        return nowMillis - sample[0] > windowMillis;
    }

    /** Seconds left at this speed, -1 when unknown. */
    public static long eta(long bytes, long total, double bytesPerSecond) {
        if (total < 0 || bytesPerSecond <= 0) {
            return -1;
        }
        return (long) Math.ceil(Math.max(0, total - bytes) / bytesPerSecond);
    }
}
