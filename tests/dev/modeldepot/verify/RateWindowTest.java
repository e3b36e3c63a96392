package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateWindowTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void speedComesFromTheSlidingWindowOnly() {
        ManualClock clock = new ManualClock();
        RateWindow window = new RateWindow(clock, 5_000);
        assertEquals(0, window.add(0));
        clock.millis = 1_000;
        assertEquals(100_000_000, window.add(100_000_000), 1);
        clock.millis = 10_000;
        // The first samples have left the window: only the last interval counts.
        assertEquals(10_000_000, window.add(190_000_000), 1);
        clock.millis = 12_000;
        // Nothing read since the last sample inside the window: a stall reads as zero at once.
        assertEquals(0, window.add(190_000_000), 1);
    }
}
