package dev.modeldepot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of the speed and time left people read (docs/design/dashboard.md, "ETA and speed"). */
class EtaTest {
    @Test
    void afterAResumeTheSpeedStartsAtWhatTheConnectionDoesNotLow() {
        Eta eta = new Eta();
        long kept = 60_000_000;
        assertEquals(Eta.Reading.UNKNOWN, eta.update(0, kept, 40_000_000), "bytes already on disk are no speed");
        // A second of connecting and validating the partial: nothing new yet.
        assertEquals(Eta.Reading.UNKNOWN, eta.update(500, kept, 40_000_000));
        assertEquals(Eta.Reading.UNKNOWN, eta.update(1000, kept, 40_000_000));
        Eta.Reading r = null;
        for (int i = 1; i <= 4; i++) {
            long bytes = kept + i * 500_000L;
            r = eta.update(1000 + i * 500L, bytes, 100_000_000 - bytes);
            assertEquals(1_000_000, r.bytesPerSecond(), 1, "1 MB/s from the first new byte on, sample " + i);
        }
        assertEquals(38, r.etaSeconds(), "38 MB left at 1 MB/s");
    }

    @Test
    void theEtaOfAJitteryTransferChangesAtMostOnceASecondAndStaysNearTheTruth() {
        Eta eta = new Eta();
        long total = 100_000_000;
        long bytes = 0;
        eta.update(0, 0, total);
        List<long[]> changes = new ArrayList<>(); // {time, eta}
        for (long t = 250; t <= 60_000; t += 250) {
            // 1 MB/s on average, in bursts: 0, 0.5 MB, 0 ... every quarter second, plus a slow patch.
            boolean burst = (t / 250) % 2 == 0;
            bytes += burst ? (t > 30_000 && t < 32_000 ? 100_000 : 500_000) : 0;
            long shown = eta.update(t, bytes, total - bytes).etaSeconds();
            if (changes.isEmpty() || changes.get(changes.size() - 1)[1] != shown) {
                changes.add(new long[] {t, shown});
            }
            if (t >= 5_000) {
                double truth = (total - bytes) / 1_000_000.0;
                assertTrue(Math.abs(shown - truth) <= Math.max(2, truth * 0.15), "at " + t + " ms the ETA read " + shown + " s, truth " + truth);
            }
        }
        for (int i = 2; i < changes.size(); i++) {
            assertTrue(changes.get(i)[0] - changes.get(i - 1)[0] >= Eta.HOLD_MILLIS,
                    "changed at " + changes.get(i - 1)[0] + " and again at " + changes.get(i)[0] + " ms");
        }
    }

    @Test
    void aStallReadsAsUnknownAndTheNextBytesStartAfresh() {
        Eta eta = new Eta();
        eta.update(0, 0, 10_000_000);
        eta.update(1000, 1_000_000, 9_000_000);
        Eta.Reading before = eta.update(2000, 2_000_000, 8_000_000);
        assertEquals(8, before.etaSeconds());
        Eta.Reading stalled = eta.update(2000 + Eta.STALL_MILLIS, 2_000_000, 8_000_000);
        assertEquals(Eta.Reading.UNKNOWN, stalled, "no byte for the stall time: no speed, no ETA");
        eta.update(8000, 2_000_000, 8_000_000);
        Eta.Reading after = eta.update(9000, 6_000_000, 4_000_000);
        assertEquals(4_000_000, after.bytesPerSecond(), 1, "the slow past before the stall is forgotten");
        assertEquals(1, after.etaSeconds());
    }

    @Test
    void theEtaIsUnknownWithoutASizeAndUntilBytesFlowedForASecond() {
        Eta eta = new Eta();
        eta.update(0, 0, -1);
        assertEquals(-1, eta.update(1000, 1000, -1).etaSeconds());
        Eta fresh = new Eta();
        fresh.update(0, 0, 2000);
        assertEquals(-1, fresh.update(500, 500, 1500).etaSeconds(), "half a second of data is too little to say");
        assertEquals(1, fresh.update(1000, 1000, 1000).etaSeconds(), "1000 B left at 1000 B/s");
    }
}
