package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Auto connections: one to start, doubled while each is slow, never past the maximum. */
class ConnectionRampTest {
    static final long SECOND = 1_000_000_000L;
    final AtomicInteger ran = new AtomicInteger();
    final ThreadFactory threads = r -> new Thread(r);

    ConnectionRamp ramp(int max, boolean auto) {
        return new ConnectionRamp(max, auto, threads, () -> ran::incrementAndGet, 0);
    }

    /**
     * A worker that is the only one made asks for long runs (RangeWorker), so a batch of N must
     * all be made before the first starts. The making is slowed here so that a worker started
     * early would see fewer than all four (it saw 2, 3, 4, 4 before the fix).
     */
    @Test
    void aBatchIsMadeBeforeAnyOfItStarts() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(4);
        new ConnectionRamp(4, false, threads, () -> {
            made.incrementAndGet();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return () -> {
                seen.add(made.get());
                started.countDown();
            };
        }, 0);
        started.await(10, TimeUnit.SECONDS);
        assertEquals(List.of(4, 4, 4, 4), seen);
    }

    @Test
    void aFastServerIsReadByOneConnection() {
        ConnectionRamp r = ramp(16, true);
        r.tick(900e6, 2 * SECOND);
        r.tick(900e6, 4 * SECOND);
        assertEquals(1, r.running());
    }

    @Test
    void slowConnectionsDoubleOncePerSecondUpToTheMaximum() throws Exception {
        ConnectionRamp r = ramp(16, true);
        r.tick(25e6, SECOND / 2);
        assertEquals(1, r.running(), "a new connection gets a second to show its speed");
        r.tick(25e6, SECOND);
        assertEquals(2, r.running());
        r.tick(50e6, 2 * SECOND);
        assertEquals(4, r.running());
        r.tick(100e6, 3 * SECOND);
        r.tick(200e6, 4 * SECOND);
        assertEquals(16, r.running());
        r.tick(400e6, 5 * SECOND);
        assertEquals(16, r.running(), "never past the maximum");
        for (Thread t : r.workers()) {
            t.join(5000);
        }
        assertEquals(16, ran.get(), "every worker started");
    }

    @Test
    void growthStopsWhenEachConnectionIsFastEnough() {
        ConnectionRamp r = ramp(16, true);
        r.tick(30e6, SECOND);
        r.tick(2 * 30e6, 2 * SECOND);
        assertEquals(4, r.running());
        r.tick(4 * 70e6, 3 * SECOND);
        r.tick(4 * 70e6, 5 * SECOND);
        assertEquals(4, r.running());
    }

    @Test
    void aCountTheUserChoseStartsAtOnce() {
        assertEquals(16, ramp(16, false).running());
    }
}
