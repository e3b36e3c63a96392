package dev.modeldepot.download;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.LockFile;
import dev.modeldepot.core.Redact;
import dev.modeldepot.download.FetchException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one file so that it is either verified at its target or absent from it: lock,
 * transfer (resuming what is there), check size and SHA-256, then an atomic rename. A checksum
 * mismatch discards the bytes and fetches once more from scratch before giving up with exit 3.
 */
public final class DownloadEngine {
    private final DownloadSettings settings;

    public DownloadEngine(DownloadSettings settings) {
        this.settings = settings;
    }

    public DownloadSettings settings() {
        return settings;
    }

    /** Where the partial file, its state and the lock of a request live. */
    record Paths(Path part, Path state, Path lock) {
        static Paths of(DownloadRequest r) {
            Path target = r.target().toAbsolutePath();
            String name = target.getFileName().toString();
            Path dir = target.getParent();
            if (r.partialDir() != null) {
                dir = r.partialDir().toAbsolutePath();
                // One shared folder may hold several files with the same name: keep them apart.
                name = name + "-" + PartialState.hash(target.toString()).substring(0, 12);
            }
            return new Paths(dir.resolve("." + name + ".part"), dir.resolve("." + name + ".part.json"), dir.resolve("." + name + ".lock"));
        }
    }

    /** Throws DepotException (with its exit code) on failure; never leaves an unverified file at the target. */
    public DownloadResult download(DownloadRequest request, DownloadListener listener, Cancellation cancel) {
        return download(request, listener, cancel, true);
    }

    /**
     * As {@link #download}, for a caller that already holds its own lock on this very target (the
     * store's one lock per blob): the engine takes no second lock, so there is one lock to wait
     * for, one order to keep, and one holder a waiting process can watch.
     */
    public DownloadResult downloadUnderCallersLock(DownloadRequest request, DownloadListener listener, Cancellation cancel) {
        return download(request, listener, cancel, false);
    }

    private DownloadResult download(DownloadRequest request, DownloadListener listener, Cancellation cancel, boolean lockHere) {
        String label = request.label();
        try {
            if (settings.disabled()) {
                throw DepotException.failed("downloads are disabled (DISABLE_MODEL_DOWNLOADS is set), so " + label + " was not fetched");
            }
            if (request.sha256() != null && !request.sha256().matches("[0-9a-f]{64}")) {
                throw DepotException.badInput("the expected SHA-256 of " + label + " must be 64 lowercase hex digits");
            }
            listener.onEvent(new DownloadEvent.Queued(label, request.expectedSize()));
            Paths paths = Paths.of(request);
            Files.createDirectories(request.target().toAbsolutePath().getParent());
            Files.createDirectories(paths.part().getParent());
            if (!lockHere) {
                DownloadResult existing = alreadyThere(request, listener);
                return existing != null ? existing : fetchVerified(request, paths, listener, cancel);
            }
            try (LockFile lock = lockTarget(paths, label, listener, cancel)) {
                try {
                    DownloadResult existing = alreadyThere(request, listener);
                    if (existing != null) {
                        return existing;
                    }
                    return fetchVerified(request, paths, listener, cancel);
                } finally {
                    // Done or failed, nobody needs the lock file any more; removed while still held (LockFile copes).
                    lock.remove();
                }
            }
        } catch (DepotException e) {
            listener.onEvent(new DownloadEvent.Failed(label, e.exitCode().code, Redact.text(e.getMessage())));
            throw e;
        } catch (IOException | UncheckedIOException e) {
            DepotException d = DepotException.failed("cannot download " + label + ": " + HttpFetcher.describe(e), e);
            listener.onEvent(new DownloadEvent.Failed(label, d.exitCode().code, d.getMessage()));
            throw d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DepotException d = DepotException.interrupted("download of " + label + " interrupted; run the same command again to resume");
            listener.onEvent(new DownloadEvent.Failed(label, d.exitCode().code, d.getMessage()));
            throw d;
        } catch (RuntimeException e) {
            // A server found a way we did not foresee: still one sentence, exit 1 and a failed event.
            DepotException d = DepotException.failed("cannot download " + label + ": " + HttpFetcher.describe(e), e);
            listener.onEvent(new DownloadEvent.Failed(label, d.exitCode().code, d.getMessage()));
            throw d;
        }
    }

    /** One downloader per target across processes; a waiter says so every few seconds, and gives up after --lock-wait. */
    private LockFile lockTarget(Paths paths, String label, DownloadListener listener, Cancellation cancel) throws IOException, InterruptedException {
        Path file = paths.lock();
        return LockFile.await(file, settings.lockWait(), cancel::isCancelled, waited -> listener.onEvent(new DownloadEvent.Retry(label, 0,
                "waiting for another process that is downloading " + label + " (lock " + file + ", waited " + waited / 1000 + " s)", 5000)))
                .orElseThrow(() -> cancel.isCancelled()
                        ? DepotException.interrupted("interrupted while waiting for another download of the same file (lock " + file + ")")
                        : DepotException.failed("another process is still downloading to " + file.getParent() + " after waiting "
                                + settings.lockWait().toSeconds() + " s (lock " + file.getFileName() + "); try again later"));
    }

    private DownloadResult fetchVerified(DownloadRequest request, Paths paths, DownloadListener listener, Cancellation cancel)
            throws IOException, InterruptedException {
        AtomicLong fetched = new AtomicLong();
        for (int round = 1; ; round++) {
            Transfer.Outcome outcome;
            try {
                outcome = fromAnySource(request, paths, listener, cancel, fetched);
            } catch (FetchException e) {
                if (e.kind != Kind.MISMATCH) {
                    throw DepotException.failed("cannot download " + request.label() + ": " + Redact.text(e.getMessage()));
                }
                outcome = null;
                if (round >= 2) {
                    throw DepotException.integrity(Redact.text(e.getMessage()) + " (checked twice)");
                }
                listener.onEvent(new DownloadEvent.Retry(request.label(), round, Redact.text(e.getMessage()) + "; fetching again", 0));
                continue;
            }
            String problem = mismatch(request, outcome);
            if (problem == null) {
                listener.onEvent(new DownloadEvent.Verified(request.label(), outcome.sha256(), outcome.size(), request.sha256() != null));
                AtomicFiles.move(paths.part(), request.target());
                Files.deleteIfExists(paths.state());
                listener.onEvent(new DownloadEvent.Completed(request.label(), request.target(), outcome.size()));
                return new DownloadResult(request.target(), outcome.size(), outcome.sha256(), outcome.etag(), outcome.lastModified(), fetched.get());
            }
            // Wrong bytes are never kept: not at the target, and not as a partial a resume would trust.
            Files.deleteIfExists(paths.part());
            Files.deleteIfExists(paths.state());
            if (round >= 2) {
                throw DepotException.integrity(problem + " again after a fresh download; nothing was written to " + request.target());
            }
            listener.onEvent(new DownloadEvent.Retry(request.label(), round, problem + "; discarded, fetching again from scratch", 0));
        }
    }

    /** The primary URL, then each mirror; a URL that fails for good gives way to the next. */
    private Transfer.Outcome fromAnySource(DownloadRequest request, Paths paths, DownloadListener listener, Cancellation cancel,
                                           AtomicLong fetched) throws IOException, InterruptedException {
        List<URI> sources = new ArrayList<>();
        sources.add(request.url());
        sources.addAll(request.mirrors());
        FetchException last = null;
        for (URI source : sources) {
            if (!"http".equalsIgnoreCase(source.getScheme()) && !"https".equalsIgnoreCase(source.getScheme())) {
                throw DepotException.badInput("only http and https URLs can be downloaded, not " + Redact.url(source));
            }
            try {
                return new Transfer(request, source, settings, listener, cancel, paths.part(), paths.state(), fetched).run();
            } catch (FetchException e) {
                if (e.kind == Kind.MISMATCH) {
                    throw e;
                }
                last = e;
                if (source != sources.get(sources.size() - 1)) {
                    listener.onEvent(new DownloadEvent.Retry(request.label(), 1, Redact.text(e.getMessage()) + "; trying a mirror", 0));
                }
            }
        }
        throw last;
    }

    private static String mismatch(DownloadRequest request, Transfer.Outcome outcome) {
        if (request.expectedSize() >= 0 && outcome.size() != request.expectedSize()) {
            return request.label() + " has " + outcome.size() + " bytes, expected " + request.expectedSize();
        }
        if (request.sha256() != null && !request.sha256().equals(outcome.sha256())) {
            return "the SHA-256 of " + request.label() + " is " + outcome.sha256() + ", expected " + request.sha256();
        }
        return null;
    }

    /**
     * A file already at the target counts only if it checks out (size, and hash when known);
     * this is also how a process that waited for the lock finds what the other one fetched.
     */
    private DownloadResult alreadyThere(DownloadRequest request, DownloadListener listener) throws IOException {
        Path target = request.target();
        if (!Files.isRegularFile(target)) {
            return null;
        }
        long size = Files.size(target);
        if (request.expectedSize() >= 0 && size != request.expectedSize()) {
            return null;
        }
        if (request.sha256() == null && request.expectedSize() < 0) {
            return null; // nothing to check it against: fetch afresh, like curl -o would
        }
        String sha = request.sha256() == null ? null : sha256(target);
        if (request.sha256() != null && !request.sha256().equals(sha)) {
            return null;
        }
        listener.onEvent(new DownloadEvent.Verified(request.label(), sha, size, sha != null));
        listener.onEvent(new DownloadEvent.Completed(request.label(), target, size));
        return new DownloadResult(target, size, sha, null, null, 0);
    }

    static String sha256(Path file) throws IOException {
        return dev.modeldepot.core.Hashing.sha256(file);
    }
}
