package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Speed from a sliding window over an injected clock, ETA from it. */
class SpeedMeterTest {
    static final class StepClock extends Clock {
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
    void speedFollowsTheWindowAndEtaFollowsSpeed() {
        StepClock clock = new StepClock();
        SpeedMeter meter = new SpeedMeter(clock, 5_000);
        meter.add(0);
        assertEquals(0, meter.bytesPerSecond(), "one sample is no speed");
        assertEquals(-1, meter.etaSeconds(1000));
        for (int s = 1; s <= 10; s++) {
            clock.millis = s * 1000L;
            meter.add(s * 2_000_000L);
        }
        assertEquals(2_000_000, meter.bytesPerSecond(), 1);
        assertEquals(50, meter.etaSeconds(100_000_000));
        // The link slows to 500 kB/s: after a full window only the new rate counts.
        for (int s = 11; s <= 16; s++) {
            clock.millis = s * 1000L;
            meter.add(20_000_000L + (s - 10) * 500_000L);
        }
        assertEquals(500_000, meter.bytesPerSecond(), 1);
        assertEquals(200, meter.etaSeconds(100_000_000));
    }
}
