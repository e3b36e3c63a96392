package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Threads;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The user's actions run on a worker: the key comes back at once, the outcome shows when the action returns. */
class DashboardActionsTest {
    final ExecutorService actions = Executors.newSingleThreadExecutor(Threads.daemon("test-dashboard-actions"));
    final CountDownLatch answer = new CountDownLatch(1);

    /** A backend whose download waits for the test to let it answer, and whose pause is refused. */
    final FakeBackend slow = new FakeBackend(Fixtures.data(0)) {
        @Override
        public void download(String key) {
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.download(key);
        }

        @Override
        public void pauseOrResume(String key) {
            throw DepotException.badInput(key + " is not in the queue");
        }
    };

    @AfterEach
    void stop() {
        actions.shutdownNow();
    }

    private String awaitScreen(Harness h, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (h.find(text) == null) {
            assertTrue(System.nanoTime() < deadline, "never showed '" + text + "':\n" + h.text());
            Thread.sleep(10);
            h.tick();
        }
        return h.text();
    }

    @Test
    void aSlowActionSaysWhatIsUnderWayAndItsOutcomeWhenItReturns() throws Exception {
        Harness h = new Harness(120, 30, slow, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), true, actions);
        String key = h.controller.state().selectedModel().key();
        long start = System.nanoTime();
        h.press(new KeyStroke('d', false, false));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000, "the key waited for the action");
        assertNotNull(h.find("queueing " + key + " …"), h.text());
        h.tick();
        assertNotNull(h.find("queueing " + key + " …"), "no outcome before the action returns:\n" + h.text());
        answer.countDown();
        awaitScreen(h, "queued " + key);
        assertEquals(1, slow.calls.stream().filter(c -> c.equals("download " + key)).count());
    }

    @Test
    void aRefusedActionShowsItsErrorWhenItComesBack() throws Exception {
        Harness h = new Harness(120, 30, slow, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), true, actions);
        String key = h.controller.state().selectedModel().key();
        h.press(new KeyStroke('p', false, false));
        awaitScreen(h, "error: " + key + " is not in the queue");
    }
}
