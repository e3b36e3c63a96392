package dev.modeldepot.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modeldepot.core.SpeedMeter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SpeedMeterTest {
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
        SpeedMeter window = new SpeedMeter(clock, 5_000);
        assertEquals(0, window.sample(0));
        clock.millis = 1_000;
        assertEquals(100_000_000, window.sample(100_000_000), 1);
        clock.millis = 10_000;
        // The first samples have left the window: only the last interval counts.
        assertEquals(10_000_000, window.sample(190_000_000), 1);
        clock.millis = 12_000;
        // Nothing read since the last sample inside the window: a stall reads as zero at once.
        assertEquals(0, window.sample(190_000_000), 1);
    }

    @Test
    void toldTheTimeOfEachSampleItMeasuresUpToNowSoAStallDecays() {
        SpeedMeter meter = new SpeedMeter(java.time.Duration.ofSeconds(5));
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        meter.add(t0, 0);
        meter.add(t0.plusSeconds(2), 1000);
        assertEquals(500, meter.bytesPerSecond(t0.plusSeconds(2)), 0.001);
        // No sample since: measured to now, the speed falls instead of freezing at 500 B/s.
        assertEquals(250, meter.bytesPerSecond(t0.plusSeconds(4)), 0.001);
        assertEquals(0, meter.bytesPerSecond(t0.plusSeconds(30)), "longer than the window: nothing to measure");
        meter.reset();
        meter.add(t0.plusSeconds(31), 5000);
        assertEquals(0, meter.bytesPerSecond(t0.plusSeconds(32)), "a reset forgets the old baseline");
    }
}
