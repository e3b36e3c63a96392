package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.core.SpeedMeter;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.PartialProgress;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Takes an install's lock (a variant's, or a blob's), and while another process or thread holds
 * it, waits for as long as that holder keeps making progress instead of for a fixed time. The
 * listener sees the holder's progress, read from its partials' own state files, as ordinary
 * progress events for those files (one live line on a terminal, the same bars in the dashboard
 * and the service), after one note saying it waits. The kernel drops a dead holder's locks, so a
 * waiter then takes over and resumes the partials it left.
 */
final class HolderWait {
    static final long POLL_MILLIS = 200;
    static final long PROGRESS_EVERY_MILLIS = 500;

    /** A file the holder may be downloading: its label in events, its partial folder, its size. */
    record Watched(String label, Path partialDir, long size) {}

    private final ModelStore store;
    private final Duration noProgressLimit;

    /** {@code noProgressLimit}: how long the holder may go without any progress before we stop waiting. */
    HolderWait(ModelStore store, Duration noProgressLimit) {
        this.store = store;
        this.noProgressLimit = noProgressLimit;
    }

    /** The variant's lock, watching the partials of every file of the variant that has a sha256. */
    StoreLocks.Held variant(VariantRef ref, DownloadListener listener, Cancellation cancel) {
        Map<String, Watched> files = new LinkedHashMap<>();
        for (ModelFile f : ref.variant().files()) {
            String label = ref.key() + "/" + f.path();
            files.put(label, new Watched(label, store.layout().partialDir(ref, f), f.size()));
        }
        return acquire(StoreLocks.variant(ref.model().id(), ref.variant().id()), ref.key(), files.values(), listener, cancel);
    }

    /** One blob's lock, watching its partial. */
    StoreLocks.Held blob(String sha256, Watched file, DownloadListener listener, Cancellation cancel) {
        return acquire(StoreLocks.blob(sha256), file.label(), java.util.List.of(file), listener, cancel);
    }

    private StoreLocks.Held acquire(String lockName, String what, java.util.Collection<Watched> files,
                                    DownloadListener listener, Cancellation cancel) {
        Optional<StoreLocks.Held> lock = store.locks().tryAcquire(lockName);
        if (lock.isPresent()) {
            return lock.get();
        }
        DownloadListener out = listener == null ? DownloadListener.NONE : listener;
        // Events carry a file's label: a listener counting files (the queue) must not see a new one.
        String first = files.iterator().next().label();
        out.onEvent(new DownloadEvent.Retry(first, 0, "another process is downloading " + what + "; showing its progress"
                + " (this one takes over if that one stops)", 0));
        Map<String, SpeedMeter> meters = new HashMap<>();
        Map<String, PartialProgress> last = progress(files);
        long lastMove = System.nanoTime();
        long lastShown = 0;
        while (true) {
            if (cancel != null && cancel.isCancelled()) {
                throw DepotException.interrupted("stopped waiting for the other process's download of " + what);
            }
            sleep(what);
            lock = store.locks().tryAcquire(lockName);
            Map<String, PartialProgress> now = progress(files);
            if (lock.isPresent()) {
                long left = now.values().stream().mapToLong(PartialProgress::bytes).sum();
                if (left > 0) {
                    out.onEvent(new DownloadEvent.Retry(first, 0, "the other process stopped with " + Sizes.human(left)
                            + " kept; taking over its partial download", 0));
                }
                return lock.get();
            }
            if (!now.equals(last)) {
                last = now;
                lastMove = System.nanoTime();
            }
            long stillMillis = (System.nanoTime() - lastMove) / 1_000_000;
            if (stillMillis > noProgressLimit.toMillis()) {
                throw DepotException.failed("another process holds " + what + " but has made no progress for "
                        + Sizes.eta(Math.max(1, stillMillis / 1000)) + "; try again later (or stop that process: this one resumes its partial)");
            }
            if (System.nanoTime() / 1_000_000 - lastShown >= PROGRESS_EVERY_MILLIS) {
                lastShown = System.nanoTime() / 1_000_000;
                for (Watched f : files) {
                    PartialProgress p = now.get(f.label());
                    if (p.bytes() > 0) {
                        long size = p.total() >= 0 ? p.total() : f.size();
                        double speed = meters.computeIfAbsent(f.label(), l -> new SpeedMeter(store.clock(), 5000)).sample(p.bytes());
                        out.onEvent(new DownloadEvent.Progress(f.label(), p.bytes(), size, speed, SpeedMeter.eta(p.bytes(), size, speed)));
                    }
                }
            }
        }
    }

    private static Map<String, PartialProgress> progress(java.util.Collection<Watched> files) {
        Map<String, PartialProgress> out = new HashMap<>();
        files.forEach(f -> out.put(f.label(), PartialProgress.of(f.partialDir())));
        return out;
    }

    private static void sleep(String what) {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while waiting for the other process's download of " + what);
        }
    }
}
