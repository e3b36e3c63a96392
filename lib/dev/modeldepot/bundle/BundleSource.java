package dev.modeldepot.bundle;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Threads;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import dev.modeldepot.store.FileFetcher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * A bundle as a source of files, in the download engine's contract ({@link FileFetcher}): the
 * bytes are copied into the request's partial folder while they are hashed, and appear at the
 * target only once their sha256 matches. A file the bundle lacks goes to the next source (the
 * network), or is unavailable.
 *
 * <p>Staging: a verified copy is kept as {@code partial/<sha256>/bundle.verified} until the store
 * takes it, so an interrupted import resumes without copying a finished file again.
 */
public final class BundleSource implements FileFetcher {
    static final String COPYING = "bundle.copying";
    static final String VERIFIED = "bundle.verified";

    /** A daemon thread per file copy for the hashing side: a file is gigabytes, a thread is nothing. */
    public static final Executor HASHER_THREADS = task -> Threads.daemon("bundle-hasher").newThread(task).start();

    private final Bundle bundle;
    private final FileFetcher next;
    private final Executor hasher;
    private final Clock clock;

    /** @param next where files the bundle lacks come from; {@link FileFetcher#NONE} for nowhere */
    public BundleSource(Bundle bundle, FileFetcher next, Executor hasher, Clock clock) {
        this.bundle = bundle;
        this.next = next;
        this.hasher = hasher;
        this.clock = clock;
    }

    public Bundle bundle() {
        return bundle;
    }

    @Override
    public DownloadResult fetch(DownloadRequest request, DownloadListener listener, Cancellation cancel) throws Exception {
        Bundle.Entry entry = request.sha256() == null ? null : bundle.entry(request.sha256());
        if (entry == null || entry.size() != request.expectedSize()) {
            return next.fetch(request, listener, cancel);
        }
        Path staged = stage(request.label(), request.sha256(), entry, request.partialDir(), listener, cancel);
        AtomicFiles.move(staged, request.target());
        listener.onEvent(new DownloadEvent.Completed(request.label(), request.target(), entry.size()));
        return new DownloadResult(request.target(), entry.size(), request.sha256(), null, null, 0);
    }

    /** A verified copy of the blob in {@code partialDir}: the one staged earlier, or a fresh copy. */
    Path stage(String label, String sha256, Bundle.Entry entry, Path partialDir, DownloadListener listener, Cancellation cancel) throws IOException {
        Files.createDirectories(partialDir);
        Path verified = partialDir.resolve(VERIFIED);
        if (Files.isRegularFile(verified, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(verified) == entry.size()) {
            return verified;
        }
        Path copying = partialDir.resolve(COPYING);
        Files.deleteIfExists(copying);
        // No connections: a local copy (progress printers say "copying from the bundle").
        listener.onEvent(new DownloadEvent.Started(label, 0, entry.size(), 0));
        long started = clock.millis();
        long[] lastEvent = {started};
        String actual;
        try (FileChannel out = FileChannel.open(copying, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            actual = HashingCopy.copy(entry.parts(), entry.offset(), entry.size(), HashingCopy.Sink.of(out), hasher, done -> {
                long now = clock.millis();
                if (now - lastEvent[0] >= 200 || done == entry.size()) {
                    lastEvent[0] = now;
                    double rate = done * 1000.0 / Math.max(1, now - started);
                    long eta = rate <= 0 ? -1 : (long) ((entry.size() - done) / rate);
                    listener.onEvent(new DownloadEvent.Progress(label, done, entry.size(), rate, eta));
                }
            }, () -> cancel != null && cancel.isCancelled());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copying);
            throw e;
        }
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(copying);
            throw DepotException.integrity("bundle file " + entry.name() + " does not match its sha256 (expected " + sha256
                    + ", got " + actual + "); the bundle is damaged and nothing of it was installed");
        }
        AtomicFiles.move(copying, verified);
        listener.onEvent(new DownloadEvent.Verified(label, sha256, entry.size()));
        return verified;
    }
}
