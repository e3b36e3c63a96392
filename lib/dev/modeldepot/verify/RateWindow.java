package dev.modeldepot.verify;

import java.time.Clock;
import java.util.ArrayDeque;

/** Speed from a sliding window of (time, bytes) samples, with an injected clock for tests. */
final class RateWindow {
    private record Sample(long millis, long bytes) {}

    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateWindow(Clock clock, long windowMillis) {
        this.clock = clock;
        this.windowMillis = windowMillis;
    }

    /** Records the running total and returns bytes per second over the window. */
    synchronized double add(long totalBytes) {
        long now = clock.millis();
        samples.addLast(new Sample(now, totalBytes));
        while (samples.size() > 2 && now - samples.peekFirst().millis() > windowMillis) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        long dt = now - first.millis();
        return dt <= 0 ? 0 : (totalBytes - first.bytes()) * 1000.0 / dt;
    }
}
