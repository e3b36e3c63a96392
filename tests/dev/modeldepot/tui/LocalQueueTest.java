package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.DepotException;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.queue.ItemState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The stand-in queue keeps the shared queue's promises: limit, priority, duplicates, retry, progress figures. */
class LocalQueueTest {
    final List<String> started = new CopyOnWriteArrayList<>();
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    LocalQueue queue(int maxActive) {
        return new LocalQueue((key, listener, cancel) -> {
            started.add(key);
            listener.onEvent(new DownloadEvent.Queued(key + "/a.gguf", 1000));
            listener.onEvent(new DownloadEvent.Started(key + "/a.gguf", 0, 1000, 1));
            listener.onEvent(new DownloadEvent.Progress(key + "/a.gguf", 400, 1000, -1, -1));
            gates.computeIfAbsent(key, k -> new CountDownLatch(1)).await();
            if (key.startsWith("bad")) {
                throw DepotException.integrity("a.gguf does not match its SHA-256");
            }
            listener.onEvent(new DownloadEvent.Completed(key + "/a.gguf", null, 1000));
        }, maxActive, Clock.systemUTC());
    }

    void release(String key) {
        gates.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
    }

    static void await(LocalQueue q, String key, ItemState state) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (q.snapshot().item(key).map(i -> i.state() != state).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(key + " never became " + state + ": " + q.snapshot());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void oneAtATimeInPriorityOrderWithoutDuplicates() throws Exception {
        try (LocalQueue q = queue(1)) {
            assertTrue(q.enqueue("a:x", 0));
            assertTrue(q.enqueue("b:x", 0));
            assertTrue(q.enqueue("c:x", 0));
            assertFalse(q.enqueue("b:x", 3), "a queued key is not queued twice");
            await(q, "a:x", ItemState.DOWNLOADING);
            // The state flips when the worker is handed the item; its first events follow.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (q.snapshot().item("a:x").orElseThrow().bytesDone() < 400 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, q.snapshot().running());
            assertEquals(400, q.snapshot().item("a:x").orElseThrow().bytesDone());
            assertEquals(1000, q.snapshot().item("a:x").orElseThrow().bytesTotal());
            q.setPriority("c:x", 5);
            release("a:x");
            await(q, "c:x", ItemState.DOWNLOADING);
            assertEquals(ItemState.QUEUED, q.snapshot().item("b:x").orElseThrow().state(), "higher priority goes first");
            assertEquals(ItemState.COMPLETED, q.snapshot().item("a:x").orElseThrow().state());
            release("c:x");
            release("b:x");
            await(q, "b:x", ItemState.COMPLETED);
            assertEquals(List.of("a:x", "c:x", "b:x"), started);
        }
    }

    @Test
    void failureIsRecordedAndRetryRunsAgain() throws Exception {
        try (LocalQueue q = queue(2)) {
            q.enqueue("bad:x", 0);
            release("bad:x");
            await(q, "bad:x", ItemState.FAILED);
            assertEquals("a.gguf does not match its SHA-256", q.snapshot().item("bad:x").orElseThrow().lastError());
            q.retry("bad:x");
            await(q, "bad:x", ItemState.FAILED);
            assertEquals(2, started.size());
            q.clear("bad:x");
            assertTrue(q.snapshot().items().isEmpty());
        }
    }
}
