package dev.modeldepot.download;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * How many range connections a file really gets when the user did not say (--connections 0):
 * it starts with one and doubles while each connection is slow, up to the size's maximum. A fast
 * server (a LAN, a mirror next door, loopback) is then read by one connection, which costs the
 * least CPU and is kindest to the server; a server that shapes each connection (a CDN at 25 MB/s
 * per connection) gets the full count within a few seconds. Workers take segments from the same
 * list, so a worker added later simply joins in.
 */
final class ConnectionRamp {
    /** One connection this fast is enough: more would cost CPU and server slots for little gain. */
    static final double ENOUGH_PER_CONNECTION = 64e6;
    /** Time for a new connection to show its speed before the next doubling. */
    static final long SETTLE_NANOS = 1_000_000_000L;

    private final int max;
    private final ThreadFactory threads;
    private final Supplier<Runnable> worker;
    private final List<Thread> started = new ArrayList<>();
    private long lastGrowNanos;

    /**
     * {@code ramp} false starts all {@code max} workers at once (the user chose the count, or a
     * rate limit makes speed say nothing about the server).
     */
    ConnectionRamp(int max, boolean ramp, ThreadFactory threads, Supplier<Runnable> worker, long nowNanos) {
        this.max = max;
        this.threads = threads;
        this.worker = worker;
        add(ramp ? 1 : max);
        lastGrowNanos = nowNanos;
    }

    /** Called with the file's current speed; adds workers when each running one is slow. */
    void tick(double bytesPerSecond, long nowNanos) {
        int running = started.size();
        if (running >= max || nowNanos - lastGrowNanos < SETTLE_NANOS || bytesPerSecond / running >= ENOUGH_PER_CONNECTION) {
            return;
        }
        add(Math.min(running, max - running));
        lastGrowNanos = nowNanos;
    }

    /** Makes all {@code n} workers before starting any: each sees from the start that it is not alone. */
    private void add(int n) {
        List<Thread> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(threads.newThread(worker.get()));
        }
        started.addAll(batch);
        batch.forEach(Thread::start);
    }

    int running() {
        return started.size();
    }

    /** Every worker started so far, to wait for at the end. */
    List<Thread> workers() {
        return started;
    }
}
