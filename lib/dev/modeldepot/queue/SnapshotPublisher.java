package dev.modeldepot.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers snapshots to listeners on one thread of its own, never on a worker or caller thread.
 * Bursts are coalesced: a request made while one is pending is merged into it, and the snapshot
 * is taken when the delivery runs, so listeners always end with the newest state.
 */
final class SnapshotPublisher {
    private final Supplier<QueueSnapshot> source;
    private final List<Consumer<QueueSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(dev.modeldepot.core.Threads.daemon("queue-notifier"));

    SnapshotPublisher(Supplier<QueueSnapshot> source) {
        this.source = source;
    }

    void add(Consumer<QueueSnapshot> listener) {
        listeners.add(listener);
        request();
    }

    void request() {
        if (listeners.isEmpty() || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::deliver);
        } catch (RejectedExecutionException e) {
            pending.set(false); // shut down
        }
    }

    private void deliver() {
        pending.set(false);
        QueueSnapshot snap = source.get();
        for (Consumer<QueueSnapshot> l : listeners) {
            try {
                l.accept(snap);
            } catch (RuntimeException ignored) {
                // A broken listener must not stop the queue or the other listeners.
            }
        }
    }

    /** Delivers what is pending, then stops. */
    void shutdown() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
