package dev.modeldepot.queue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An installer the test drives: each install blocks until the test completes or fails it, and
 * stops (throwing, as the engine does) when its cancellation is set, unless told to ignore it.
 */
final class FakeInstaller implements VariantInstaller {
    static final class Job {
        final String key;
        final DownloadListener listener;
        final Cancellation cancellation;
        final CountDownLatch finished = new CountDownLatch(1);
        private volatile String outcome; // "ok" or an error message
        private volatile boolean ignoreCancel;
        private volatile boolean slowStop;
        private final CountDownLatch mayStop = new CountDownLatch(1);
        final CountDownLatch sawCancel = new CountDownLatch(1);

        Job(String key, DownloadListener listener, Cancellation cancellation) {
            this.key = key;
            this.listener = listener;
            this.cancellation = cancellation;
        }

        void emit(DownloadEvent event) {
            listener.onEvent(event);
        }

        void complete() {
            outcome = "ok";
        }

        void fail(String message) {
            outcome = message;
        }

        void ignoreCancellation() {
            ignoreCancel = true;
        }

        /** Like the engine joining its connections: once cancelled, it returns only when {@link #letStop} is called. */
        void stopSlowly() {
            slowStop = true;
        }

        void letStop() {
            mayStop.countDown();
        }

        boolean hasEnded() {
            return finished.getCount() == 0;
        }
    }

    private final List<String> started = new ArrayList<>();
    private final Map<String, Job> current = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final AtomicInteger mostAtOnceForOneKey = new AtomicInteger();

    @Override
    public void install(String key, DownloadListener listener, Cancellation cancellation) throws Exception {
        Job job = new Job(key, listener, cancellation);
        current.put(key, job);
        synchronized (started) {
            started.add(key);
        }
        int now = running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        mostAtOnceForOneKey.accumulateAndGet(now, Math::max);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (job.outcome != null) {
                    if (job.outcome.equals("ok")) {
                        return;
                    }
                    throw DepotException.failed(job.outcome);
                }
                if (cancellation.isCancelled() && !job.ignoreCancel) {
                    job.sawCancel.countDown();
                    if (job.slowStop && !job.mayStop.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("fake install of " + key + " was never allowed to stop");
                    }
                    throw DepotException.interrupted("download of " + key + " stopped; the partial is kept");
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("fake install of " + key + " was never finished by the test");
        } finally {
            running.get(key).decrementAndGet();
            job.finished.countDown();
        }
    }

    /** The most installs of one key ever running at the same time (two would write the same partial). */
    int mostAtOnceForOneKey() {
        return mostAtOnceForOneKey.get();
    }

    List<String> started() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    /** The newest install of this key, waiting for it to begin. */
    Job job(String key) {
        QueueTest.waitFor(() -> current.containsKey(key), "install of " + key + " to begin");
        return current.get(key);
    }

    /** Waits until the n-th install (1-based, over all keys) has begun, and returns that job. */
    Job nth(int n) {
        QueueTest.waitFor(() -> started().size() >= n, n + " installs to begin");
        return current.get(started().get(n - 1));
    }
}
