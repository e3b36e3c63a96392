package dev.modeldepot.cli;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.verify.FileReport;
import dev.modeldepot.verify.FileVerifier;
import dev.modeldepot.verify.Stamps;
import dev.modeldepot.verify.VerificationResult;
import dev.modeldepot.verify.VerifyJob;
import dev.modeldepot.verify.VerifyRun;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * --repair: fetches corrupt files again through the download engine, then verifies them again in
 * full. Store files are re-installed by the store (which quarantines the bad blob and relinks);
 * an ad-hoc file is downloaded to a temporary name beside it and replaces it only once verified.
 */
final class Repairs {
    private final CommonOptions common;
    private final Console console;
    private final Clock clock;
    private final Stamps stamps;
    private final int threads;
    private final Supplier<FileFetcher> fetchers;
    private FileFetcher fetcher;
    private final List<VerifyJob> fetched = new ArrayList<>();
    private final Map<VerifyJob, String> failed = new LinkedHashMap<>();
    /** Labels whose bytes were transferred, and labels taken from the Hugging Face cache: what the report may claim. */
    private final java.util.Set<String> transferred = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> adopted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Store files whose blob was sound and only the readable path needed linking again. */
    private final java.util.Set<VerifyJob> relinks = new java.util.HashSet<>();

    Repairs(CommonOptions common, Console console, Clock clock, Stamps stamps, int threads, Supplier<FileFetcher> fetchers) {
        this.common = common;
        this.console = console;
        this.clock = clock;
        this.stamps = stamps;
        this.threads = threads;
        this.fetchers = fetchers;
    }

    void install(ModelStore store, VariantRef ref, List<VerifyJob> jobs) {
        say("repairing " + ref.key() + ": fetching " + jobs.size() + (jobs.size() == 1 ? " file" : " files") + " again");
        try {
            store.install(ref, fetcher(), listener(), new Cancellation(), null);
            fetched.addAll(jobs);
        } catch (DepotException e) {
            rethrowIfFatal(e);
            jobs.forEach(j -> failed.put(j, "repair failed: " + e.getMessage()));
        } catch (Exception e) {
            jobs.forEach(j -> failed.put(j, "repair failed: " + dev.modeldepot.cli.Cli.messageOf(e)));
        }
    }

    /** Downloads {@code url} beside the file, verifies it against the job's sha256, then swaps it in atomically. */
    void fromUrl(VerifyJob job, URI url) throws IOException {
        Path file = job.path().toAbsolutePath();
        String unique = "." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path tmp = file.resolveSibling(unique + ".repair");
        // The engine's partial, state and lock go in a folder of their own, removed whatever happens.
        Path partialDir = file.resolveSibling(unique + ".partial");
        say("repairing " + job.name() + ": fetching it again from " + Redact.url(url));
        try {
            fetcher().fetch(new DownloadRequest(file.getFileName().toString(), url, List.of(), -1, job.expectedSha256(), tmp, partialDir),
                    listener(), new Cancellation());
            VerificationResult check = new FileVerifier().verify(tmp, job.expectedSha256(), -1, job.format(), null);
            if (!check.verdict().usable()) {
                failed.put(job, "repair failed: what " + Redact.url(url) + " serves is not the expected file either (" + check.detail() + ")");
                return;
            }
            AtomicFiles.move(tmp, file);
            transferred.add(job.name());
            fetched.add(job);
        } catch (DepotException e) {
            rethrowIfFatal(e);
            failed.put(job, "repair failed: " + e.getMessage());
        } catch (Exception e) {
            failed.put(job, "repair failed: " + dev.modeldepot.cli.Cli.messageOf(e));
        } finally {
            Files.deleteIfExists(tmp);
            dev.modeldepot.core.AtomicFiles.deleteTree(partialDir);
        }
    }

    /** Verifies the fetched files again in full and puts the outcome (and what was done) into the report. */
    void applyTo(List<VerifyJob> work, List<FileReport> files) throws IOException, InterruptedException {
        if (!fetched.isEmpty()) {
            List<VerificationResult> again = new VerifyRun(new FileVerifier(), stamps, true, threads, clock).run(fetched, null);
            for (int i = 0; i < fetched.size(); i++) {
                VerificationResult r = again.get(i);
                String how = how(fetched.get(i));
                String action = r.verdict().usable() ? "repaired: " + how + " and verified"
                        : "repair failed: still " + r.verdict() + " after the repair (" + how + ")";
                files.set(work.indexOf(fetched.get(i)), FileReport.of(fetched.get(i), r, action));
            }
        }
        failed.forEach((job, action) -> {
            int i = work.indexOf(job);
            files.set(i, files.get(i).withAction(action));
        });
    }

    /** Marks a store file whose blob is sound and whose readable path only needs linking again. */
    void relinking(VerifyJob job) {
        relinks.add(job);
    }

    /** What the repair did for one file, from the engine's events: never "fetched" without a transfer. */
    private String how(VerifyJob job) {
        if (relinks.contains(job)) {
            return "linked again to its verified blob";
        }
        String label = job.model() == null ? job.name() : job.model() + "/" + job.name();
        if (transferred.contains(label) || transferred.contains(job.name())) {
            return "fetched again";
        }
        if (adopted.contains(label)) {
            return "taken from the Hugging Face cache";
        }
        return "nothing fetched: found good when installed again";
    }

    private FileFetcher fetcher() {
        if (fetcher == null) {
            fetcher = fetchers.get();
        }
        return fetcher;
    }

    private DownloadListener listener() {
        java.util.Set<String> verifiedFirst = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return event -> {
            if (event instanceof DownloadEvent.Started s) {
                transferred.add(s.label());
            } else if (event instanceof DownloadEvent.Verified v && !transferred.contains(v.label())) {
                verifiedFirst.add(v.label()); // verified with no transfer: the installer took it from the HF cache
            } else if (event instanceof DownloadEvent.Completed c) {
                // The installer completes files that were already good too: say only what happened.
                if (transferred.contains(c.label())) {
                    say("  fetched " + c.label() + " (" + Sizes.human(c.size()) + ")");
                } else if (verifiedFirst.contains(c.label())) {
                    adopted.add(c.label());
                    say("  took " + c.label() + " from the Hugging Face cache (" + Sizes.human(c.size()) + ")");
                }
            }
        };
    }

    /** Progress goes to stderr, so stdout stays the table or the one JSON document. */
    private void say(String line) {
        if (!common.quiet) {
            console.err().println(line);
        }
    }

    private static void rethrowIfFatal(DepotException e) {
        if (e.exitCode() == ExitCode.INTERRUPTED || e.exitCode() == ExitCode.BAD_INPUT) {
            throw e;
        }
    }
}
