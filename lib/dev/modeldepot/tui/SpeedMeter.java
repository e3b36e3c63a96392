package dev.modeldepot.tui;

import java.time.Clock;
import java.util.ArrayDeque;

/**
 * Speed from a sliding window of (time, bytes) samples, as Textual's progress does: steady
 * enough to read, quick to follow a change. The clock is injected so tests are deterministic.
 */
public final class SpeedMeter {
    private record Sample(long millis, long bytes) {}

    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    public SpeedMeter(Clock clock, long windowMillis) {
        this.clock = clock;
        this.windowMillis = windowMillis;
    }

    /** Records the running byte count now. */
    public synchronized void add(long bytes) {
        long now = clock.millis();
        samples.addLast(new Sample(now, bytes));
        while (samples.size() > 2 && now - samples.peekFirst().millis() > windowMillis) {
            samples.removeFirst();
        }
    }

    /** Bytes per second over the window, 0 until two samples are apart in time. */
    public synchronized double bytesPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long dt = last.millis() - first.millis();
        return dt <= 0 ? 0 : (last.bytes() - first.bytes()) * 1000.0 / dt;
    }

    /** Seconds left for {@code remaining} bytes at the current speed, -1 when unknown. */
    public long etaSeconds(long remaining) {
        double speed = bytesPerSecond();
        return speed <= 0 ? -1 : (long) Math.ceil(remaining / speed);
    }

    public synchronized void reset() {
        samples.clear();
    }
}
