package dev.modeldepot.verify;

import dev.modeldepot.core.Errors;
import dev.modeldepot.core.SpeedMeter;
import dev.modeldepot.core.Stamp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Verifies many files in parallel (one thread per core by default: SHA-256 is CPU bound), trusting
 * unchanged stamps unless deep, recording stamps after full passes, and reporting aggregate
 * progress. Results come back in input order.
 */
public final class VerifyRun {
    private final FileVerifier verifier;
    private final Stamps stamps;
    private final boolean deep;
    private final int threads;
    private final Clock clock;
    private volatile String stampSaveError;

    /**
     * @param stamps  null to neither trust nor record stamps
     * @param deep    true to ignore stamps (still records new ones)
     * @param threads at most this many files at once; 0 for the core count
     */
    public VerifyRun(FileVerifier verifier, Stamps stamps, boolean deep, int threads, Clock clock) {
        this.verifier = verifier;
        this.stamps = stamps;
        this.deep = deep;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.clock = clock;
    }

    /** Runs the jobs; progress (may be null) is called about twice a second and once at the end. */
    public List<VerificationResult> run(List<VerifyJob> jobs, Consumer<RunProgress> progress) throws IOException, InterruptedException {
        long total = 0;
        for (VerifyJob job : jobs) {
            total += Math.max(0, job.expectedSize() >= 0 ? job.expectedSize() : sizeOrZero(job));
        }
        AtomicLong done = new AtomicLong();
        AtomicInteger filesDone = new AtomicInteger();
        SpeedMeter rate = new SpeedMeter(clock, 5_000);
        long bytesTotal = total;
        Runnable report = () -> {
            long d = done.get();
            double speed = rate.sample(d);
            long eta = speed > 0 ? (long) Math.ceil(Math.max(0, bytesTotal - d) / speed) : -1;
            progress.accept(new RunProgress(d, bytesTotal, filesDone.get(), jobs.size(), speed, eta, false));
        };
        int poolSize = Math.max(1, Math.min(threads, jobs.size()));
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, dev.modeldepot.core.Threads.daemon("verify"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(dev.modeldepot.core.Threads.daemon("verify-progress"));
        try {
            if (progress != null) {
                ticker.scheduleAtFixedRate(report, 0, 500, TimeUnit.MILLISECONDS);
            }
            List<Future<VerificationResult>> futures = new ArrayList<>();
            for (VerifyJob job : jobs) {
                futures.add(pool.submit(() -> {
                    VerificationResult r = verifyOne(job, done);
                    filesDone.incrementAndGet();
                    return r;
                }));
            }
            List<VerificationResult> results = new ArrayList<>();
            for (Future<VerificationResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(e.getCause());
                }
            }
            if (stamps != null) {
                try {
                    stamps.save();
                } catch (IOException e) {
                    // Stamps are a cache: a read-only store costs the next check a re-hash, not this run.
                    stampSaveError = dev.modeldepot.core.Errors.messageOf(e);
                }
            }
            // No tick may land after the final report (it would redraw an erased progress line).
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            if (progress != null) {
                long d = done.get();
                progress.accept(new RunProgress(d, bytesTotal, jobs.size(), jobs.size(), rate.sample(d), 0, true));
            }
            return results;
        } finally {
            ticker.shutdownNow();
            pool.shutdownNow();
        }
    }

    /** Why the stamps could not be saved by the last run, or null when they were (or none were due). */
    public String stampSaveError() {
        return stampSaveError;
    }

    private VerificationResult verifyOne(VerifyJob job, AtomicLong done) throws IOException {
        String expected = job.expectedSha256() == null ? null : job.expectedSha256().toLowerCase(java.util.Locale.ROOT);
        if (!deep && stamps != null && job.stampKey() != null) {
            Optional<Stamp> stamp = stamps.trusted(job.stampKey(), job.path());
            if (stamp.isPresent() && (expected == null || expected.equals(stamp.get().sha256()))
                    && (job.expectedSize() < 0 || job.expectedSize() == stamp.get().size())) {
                done.addAndGet(stamp.get().size());
                return fromStamp(job, expected, stamp.get());
            }
        }
        VerificationResult result = verifier.verify(job.path(), expected, job.expectedSize(), job.format(), done::addAndGet);
        if (stamps != null && job.stampKey() != null) {
            if (result.verdict().usable() && result.actualSha256() != null && result.formatCheck().ok()) {
                stamps.put(job.stampKey(), Stamp.of(job.path(), result.actualSha256(), clock.instant()));
            } else if (result.verdict().corrupt() && result.actualSha256() != null) {
                stamps.putCorrupt(job.stampKey(), seen(job.path(), result.actualSha256()));
            } else {
                stamps.remove(job.stampKey());
            }
        }
        return result;
    }

    private Stamp seen(Path path, String actualSha256) {
        try {
            return Stamp.of(path, actualSha256, clock.instant());
        } catch (IOException e) {
            return null; // gone already: nothing to stamp
        }
    }

    private static VerificationResult fromStamp(VerifyJob job, String expected, Stamp stamp) {
        String format = FormatChecks.formatOf(job.path(), job.format());
        FormatCheck fc = FormatCheck.notChecked(format, "not re-checked: unchanged since its full check at " + stamp.verifiedAt());
        Verdict verdict = expected == null ? Verdict.UNVERIFIABLE : Verdict.OK;
        String detail = (expected == null ? "no checksum to compare with; " : "checksum matched; ")
                + "unchanged since verified at " + stamp.verifiedAt() + " (stamp)";
        return new VerificationResult(job.path(), stamp.size(), expected, stamp.sha256(), fc, verdict, detail, 0);
    }

    /** True when a result came from a stamp rather than a full pass. */
    public static boolean fromStamp(VerificationResult r) {
        return r.detail().endsWith("(stamp)");
    }

    private static long sizeOrZero(VerifyJob job) {
        try {
            return java.nio.file.Files.size(job.path());
        } catch (IOException e) {
            return 0;
        }
    }
}
