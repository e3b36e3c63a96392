package dev.modeldepot.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Speed over the last few seconds from (time, cumulative bytes) samples taken on an injected
 * clock, so a burst or a stall shows within the window and tests are deterministic. Not
 * thread-safe: the queue guards it with its lock.
 */
final class SpeedWindow {
    private record Sample(Instant at, long bytes) {}

    private final Duration window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    SpeedWindow(Duration window) {
        this.window = window;
    }

    void add(Instant at, long cumulativeBytes) {
        samples.addLast(new Sample(at, cumulativeBytes));
        trim(at);
    }

    void reset() {
        samples.clear();
    }

    /**
     * Bytes per second from the baseline sample to now. Measuring up to now (not to the last
     * sample) makes a stall pull the speed down instead of freezing it at its last value.
     */
    double bytesPerSecond(Instant now) {
        trim(now);
        if (samples.size() < 2) {
            return 0;
        }
        Sample base = samples.peekFirst();
        long millis = Duration.between(base.at(), now).toMillis();
        long bytes = samples.peekLast().bytes() - base.bytes();
        return millis <= 0 || bytes <= 0 ? 0 : bytes * 1000.0 / millis;
    }

    /** Drops samples that left the window, keeping the newest old one as the baseline. */
    private void trim(Instant now) {
        Instant start = now.minus(window);
        while (samples.size() > 1) {
            Sample first = samples.pollFirst();
            Sample second = samples.peekFirst();
            if (second.at().isAfter(start)) {
                samples.addFirst(first);
                return;
            }
        }
    }
}
