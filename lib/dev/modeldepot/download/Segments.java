package dev.modeldepot.download;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The file cut into fixed segments, each filled from its start: {@code done[i]} bytes of segment
 * i are on disk. Workers take the lowest pending segment first, so the completed prefix (which
 * the hasher follows) grows steadily. With an unknown size there is one open-ended segment.
 */
final class Segments {
    final long size;
    final long segmentSize;
    final int count;
    private final AtomicLongArray done;
    private final AtomicLong total = new AtomicLong();
    private final PriorityBlockingQueue<Integer> pending = new PriorityBlockingQueue<>();
    private volatile boolean streamEnded;

    Segments(long size, long segmentSize, List<long[]> completed) {
        this.size = size;
        this.segmentSize = size < 0 ? Long.MAX_VALUE : Math.max(1, segmentSize);
        this.count = size < 0 ? 1 : (int) Math.max(1, (size + this.segmentSize - 1) / this.segmentSize);
        this.done = new AtomicLongArray(count);
        if (size >= 0) {
            for (long[] r : completed) {
                apply(r[0], r[1]);
            }
        }
        for (int i = 0; i < count; i++) {
            if (!complete(i)) {
                pending.add(i);
            }
        }
    }

    /** Marks what a saved range covers, counting only bytes contiguous from a segment's start. */
    private void apply(long from, long to) {
        for (int i = 0; i < count; i++) {
            long s = start(i);
            long covered = done.get(i);
            if (from <= s + covered && to > s + covered) {
                long upTo = Math.min(end(i), to);
                done.set(i, upTo - s);
                total.addAndGet(upTo - s - covered);
            }
        }
    }

    long start(int i) {
        return i * segmentSize;
    }

    long end(int i) {
        return size < 0 ? Long.MAX_VALUE : Math.min(size, start(i) + segmentSize);
    }

    long done(int i) {
        return done.get(i);
    }

    boolean complete(int i) {
        return size >= 0 ? start(i) + done.get(i) >= end(i) : streamEnded;
    }

    void advance(int i, long n) {
        done.addAndGet(i, n);
        total.addAndGet(n);
    }

    /** The single stream reached the end of the body (unknown size). */
    void endStream() {
        streamEnded = true;
    }

    long bytesDone() {
        return total.get();
    }

    boolean allDone() {
        if (size < 0) {
            return streamEnded;
        }
        return total.get() >= size;
    }

    /** The next segment to fetch, or null. */
    Integer take() {
        return pending.poll();
    }

    void requeue(int i) {
        pending.add(i);
    }

    /** Takes segment {@code i} if it is still pending: a request that runs on into it keeps going. */
    boolean claim(int i) {
        return pending.remove(i);
    }

    /**
     * The last segment of the run that follows {@code i} in which every segment is pending and
     * untouched, with the run at most {@code maxBytes} long from {@code i}'s start; {@code i}
     * itself when the next one is taken, started or complete. Nothing is claimed here.
     */
    int runEnd(int i, long maxBytes) {
        int j = i;
        while (size >= 0 && j + 1 < count && end(j + 1) - start(i) <= maxBytes && done.get(j + 1) == 0 && pending.contains(j + 1)) {
            j++;
        }
        return j;
    }

    /** Bytes [0, prefix) are all on disk; {@code hint} is a segment known complete before it. */
    long prefix(int[] hint) {
        int k = hint[0];
        while (k < count && size >= 0 && complete(k)) {
            k++;
        }
        hint[0] = k;
        if (k >= count) {
            return size;
        }
        return start(k) + done.get(k);
    }

    /** Completed byte ranges [from, to), merged, for the state file. */
    List<long[]> completedRanges() {
        List<long[]> out = new ArrayList<>();
        if (size < 0) {
            return out;
        }
        for (int i = 0; i < count; i++) {
            long d = done.get(i);
            if (d == 0) {
                continue;
            }
            long from = start(i);
            long to = from + d;
            if (!out.isEmpty() && out.get(out.size() - 1)[1] == from) {
                out.get(out.size() - 1)[1] = to;
            } else {
                out.add(new long[] {from, to});
            }
        }
        return out;
    }
}
