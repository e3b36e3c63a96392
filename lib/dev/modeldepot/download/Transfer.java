package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.core.SpeedMeter;
import dev.modeldepot.core.Threads;
import dev.modeldepot.download.FetchException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One file from one URL into its partial file: probe, resume or start over, parallel range
 * workers plus the prefix hasher, state saved every second. Returns when every byte is on disk
 * and hashed; the engine decides whether the result may become visible.
 */
final class Transfer {
    static final long SAVE_EVERY_MILLIS = 250;
    static final long PROGRESS_EVERY_MILLIS = 500;

    record Outcome(long size, String sha256, String etag, String lastModified) {}

    final DownloadRequest request;
    final DownloadSettings settings;
    final DownloadListener listener;
    final HttpFetcher fetcher;
    /** The end of the URL's redirect chain: ranges go there, not through the origin again. */
    final ResolvedLink link;
    final AtomicLong fetched;
    final RetryBudget budget;
    private final URI url;
    private final Cancellation cancel;
    private final Path part;
    private final Path stateFile;
    /**
     * What one attempt's workers share, fixed when the attempt starts: a worker reads only its
     * own attempt's record, so a straggler of an earlier attempt can never act on a later one.
     */
    record Attempt(boolean single, long size, String etag, String lastModified, Segments segments, FileChannel channel,
                   BodyLimit limit, int connections, Throttle throttle, AtomicBoolean stop, AtomicReference<Throwable> fatal,
                   AtomicInteger active, AtomicInteger workers, WriteBehind writes) {
        // active: workers inside a request now; workers: workers made for this attempt so far
        // writes: the O_DIRECT write-behind thread, or null when bytes are written in place
        /** If-Range takes a strong ETag or a date; a weak ETag cannot be used, so then the date. */
        String ifRangeValidator() {
            if (etag != null && !etag.startsWith("W/")) {
                return etag;
            }
            return lastModified;
        }

        /** The total progress shows: the server's size, else the expected one (so bytes never pass it). */
        long shownTotal(DownloadRequest request) {
            return size >= 0 ? size : request.expectedSize();
        }
    }

    /**
     * How long the supervisor and the write-back thread nap between checks. Both are woken when
     * the transfer ends, so no download waits this out; a test lengthens it to prove that.
     */
    static volatile long napNanos = 50_000_000;

    /** The attempt running or last run (null before the first): for the state file and the outcome. */
    private volatile Attempt current;

    Transfer(DownloadRequest request, URI url, DownloadSettings settings, DownloadListener listener, Cancellation cancel,
             Path part, Path stateFile, AtomicLong fetched) {
        this.request = request;
        this.url = url;
        this.settings = settings;
        this.listener = listener;
        this.cancel = cancel;
        this.part = part;
        this.stateFile = stateFile;
        this.fetched = fetched;
        this.fetcher = new HttpFetcher(settings, url, request.url());
        this.link = new ResolvedLink(url, fetcher, settings.clock());
        this.budget = new RetryBudget(settings.retries());
    }

    Outcome run() throws FetchException, InterruptedException, IOException {
        try {
            return attempts();
        } catch (FetchException | RuntimeException e) {
            if (current != null && current.single()) {
                discard(); // a stream without ranges can never be resumed: keep nothing
            }
            throw e;
        }
    }

    private Outcome attempts() throws FetchException, InterruptedException, IOException {
        int restarts = 0;
        int attempt = 0;
        boolean forceSingle = false;
        while (true) {
            try {
                return attempt(forceSingle);
            } catch (FetchException e) {
                Attempt last = current;
                boolean single = last != null && last.single();
                if (e.kind == Kind.RETRY && single) {
                    attempt = budget.streamFailed(last.segments().bytesDone());
                }
                boolean again = switch (e.kind) {
                    case NO_RANGES -> !forceSingle;
                    case CHANGED -> ++restarts <= 3;
                    case RETRY -> single && budget.allows(attempt);
                    default -> false;
                };
                if (!again) {
                    if (e.kind == Kind.RETRY && single) {
                        throw new FetchException(Kind.RETRY, e.getMessage() + " (gave up after " + budget.retries()
                                + " attempts in a row without progress)", e.status, -1);
                    }
                    throw e;
                }
                forceSingle |= e.kind == Kind.NO_RANGES;
                String reason = switch (e.kind) {
                    case NO_RANGES -> e.getMessage() + "; continuing as one stream from the start";
                    case CHANGED -> e.getMessage() + "; starting this file over";
                    default -> e.getMessage() + "; a single stream cannot resume, starting over";
                };
                long delay = e.kind == Kind.RETRY ? Backoff.delayMillis(attempt, e.retryAfterMillis) : 0;
                listener.onEvent(new DownloadEvent.Retry(request.label(), Math.max(1, attempt), reason, delay));
                discard();
                Sleeper.backoff(delay, cancel, settings.limits(), settings.clock(), request.label(), "nothing kept (the server cannot resume)");
            }
        }
    }

    private Outcome attempt(boolean forceSingle) throws FetchException, InterruptedException, IOException {
        PartialState state = PartialState.load(stateFile);
        // A partial belongs to its target and expected SHA-256: from another URL it may still be resumed, once checked.
        boolean otherUrl = state != null && !state.urlHash().equals(PartialState.hash(url.toString()));
        if (state != null && (!Files.exists(part) || (otherUrl && !ResumeCheck.sameTarget(state, request)))) {
            state = null;
        }
        Probe.Remote remote = Probe.run(this, url, forceSingle, cancel);
        long size = remote.size();
        String etag = remote.etag();
        String lastModified = remote.lastModified();
        boolean ranges = remote.ranges();
        if (request.expectedSize() >= 0 && size >= 0 && size != request.expectedSize()) {
            throw new FetchException(Kind.MISMATCH, "the server has " + size + " bytes for " + request.label() + " but " + request.expectedSize() + " were expected");
        }
        if (state != null && otherUrl) {
            String how = ranges && state.size() == size ? ResumeCheck.validate(this, url, state, etag, part) : null;
            listener.onEvent(new DownloadEvent.Retry(request.label(), 0, how != null ? how
                    : "the partial was kept from another URL whose bytes this server does not confirm; starting over", 0));
            if (how == null) {
                state = null;
            }
        } else if (state != null && (!ranges || state.size() != size || !java.util.Objects.equals(state.etag(), etag)
                || (etag == null && !java.util.Objects.equals(state.lastModified(), lastModified)))) {
            listener.onEvent(new DownloadEvent.Retry(request.label(), 1, ranges
                    ? "the file changed on the server since the partial download; starting over" : "the server cannot resume; starting over", 0));
            state = null;
        }
        if (state == null) {
            discard();
        }
        boolean single = !ranges;
        int conns = single ? 1 : settings.connectionsFor(size);
        long segmentSize = state != null ? state.segmentSize() : settings.segmentSizeFor(size, conns);
        Segments segments = single ? new Segments(size, size < 0 ? Long.MAX_VALUE : Math.max(1, size), List.of())
                : new Segments(size, segmentSize, state == null ? List.of() : state.completed());
        checkFreeSpace(size, segments);
        requireOwnPartial(part);
        // NOFOLLOW_LINKS: a link planted after the check still cannot redirect the writes.
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
             FileChannel direct = size > settings.directWritesAbove() && settings.directWritesAbove() >= 0 ? openDirect(part) : null) {
            if (size > 0 && ch.size() < size) {
                settings.writer().write(ch, ByteBuffer.wrap(new byte[1]), size - 1); // sparse preallocation
            }
            Thread supervisor = Thread.currentThread();
            PrefixHasher hasher = new PrefixHasher(ch, segments, () -> LockSupport.unpark(supervisor));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> fatal = new AtomicReference<>();
            // Without O_DIRECT the connections write in place: staging would only add copies.
            WriteBehind writes = direct == null ? null
                    : new WriteBehind(ch, direct, settings.writer(), segments, hasher, fetched, StagingBuffers.SHARED, stop, fatal);
            Attempt a = new Attempt(single, size, etag, lastModified, segments, ch,
                    BodyLimit.of(request.expectedSize(), size, settings.limits(), part), conns, new Throttle(settings.limitRate()),
                    stop, fatal, new AtomicInteger(), new AtomicInteger(), writes);
            current = a;
            saveState(null);
            listener.onEvent(new DownloadEvent.Started(request.label(), segments.bytesDone(), a.shownTotal(request), conns));
            ThreadFactory threads = Threads.daemon("download " + request.label());
            List<Thread> started = new ArrayList<>();
            started.add(threads.newThread(hasher));
            Thread flusher = threads.newThread(() -> flushWhileRunning(ch, a.stop(), segments::bytesDone));
            started.add(flusher);
            Thread writer = writes == null ? null : threads.newThread(writes);
            if (writer != null) {
                started.add(writer);
            }
            started.forEach(Thread::start);
            boolean ramp = settings.connections() == 0 && settings.limitRate() == 0;
            ConnectionRamp workers = new ConnectionRamp(conns, ramp, threads, () -> new RangeWorker(this, a), System.nanoTime());
            try {
                supervise(a, hasher, workers);
            } finally {
                // No interrupts: an interrupt during FileChannel I/O closes the channel for everyone.
                a.stop().set(true);
                LockSupport.unpark(flusher); // ends its nap now instead of within 50 ms
                try {
                    for (Thread th : workers.workers()) {
                        th.join(5000); // each hands its staged bytes to the writer before it ends
                    }
                    if (writer != null) {
                        writes.finish();
                        writer.join(5000);
                    }
                } finally {
                    if (writes != null) {
                        writes.finish();
                    }
                    hasher.stop();
                }
                for (Thread th : started) {
                    th.join(5000);
                }
                if (!segments.allDone()) {
                    saveQuietly(hasher); // what the writer finished after the stop is kept too
                }
            }
            ch.force(true);
            long finalSize = size >= 0 ? size : segments.bytesDone();
            return new Outcome(finalSize, hasher.hex(), etag, lastModified);
        }
    }

    private void supervise(Attempt a, PrefixHasher hasher, ConnectionRamp workers) throws IOException, InterruptedException {
        Segments segments = a.segments();
        SpeedMeter meter = new SpeedMeter(settings.clock(), 5000);
        long lastSave = System.nanoTime();
        long lastProgress = 0;
        while (true) {
            // A nap the hasher cuts short when the file is complete: the end is seen at once.
            LockSupport.parkNanos(napNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (cancel.isCancelled() || settings.limits().millisLeft(settings.clock().instant()) == 0) {
                a.stop().set(true);
                saveState(hasher);
                Sleeper.checkStop(cancel, settings.limits(), settings.clock(), request.label(), a.single()
                        ? "nothing kept (the server cannot resume)"
                        : Sizes.human(segments.bytesDone()) + " kept; run the same command again to resume");
            }
            Throwable f = a.fatal().get();
            if (f == null && hasher.failure() != null) {
                f = hasher.failure();
            }
            if (f != null) {
                a.stop().set(true);
                saveQuietly(hasher);
                if (f instanceof FetchException fe) {
                    throw fe;
                }
                if (f instanceof IOException io) {
                    throw diskTrouble(io, segments);
                }
                throw f instanceof RuntimeException r ? r : new IllegalStateException(f);
            }
            if (segments.allDone() && hasher.finished()) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_EVERY_MILLIS * 1_000_000) {
                lastProgress = now;
                long bytes = segments.bytesDone();
                double speed = meter.sample(bytes);
                workers.tick(speed, now);
                long total = a.shownTotal(request);
                listener.onEvent(new DownloadEvent.Progress(request.label(), bytes, total, speed, SpeedMeter.eta(bytes, total, speed)));
            }
            if (now - lastSave >= SAVE_EVERY_MILLIS * 1_000_000) {
                lastSave = now;
                saveQuietly(hasher);
            }
        }
    }

    /**
     * The partial file opened a second time with {@code O_DIRECT} (writes that skip the page
     * cache), or null where the file system or platform refuses it (tmpfs, some network file
     * systems, Windows, or a block size the staging blocks are not aligned to).
     */
    static FileChannel openDirect(Path part) {
        try {
            long block = Files.getFileStore(part).getBlockSize();
            if (block <= 0 || StagingBuffers.ALIGN % block != 0) {
                return null;
            }
            return FileChannel.open(part, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS,
                    com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Disk full or a write error: stop cleanly, keep the partial, say where and how much room. */
    private DepotException diskTrouble(IOException e, Segments segments) {
        String m = HttpFetcher.describe(e);
        if (m.contains("No space left") || m.contains("not enough space") || m.contains("Disk quota")) {
            return DepotException.failed("the disk is full writing " + part + " (" + Sizes.human(FreeSpace.usable(part)) + " free); "
                    + Sizes.human(segments.bytesDone()) + " kept: free some space and run the same command again to resume", e);
        }
        return DepotException.failed("cannot write " + part + ": " + m + "; partial kept", e);
    }

    private void checkFreeSpace(long size, Segments segments) {
        if (!settings.checkFreeSpace() || size < 0) {
            return;
        }
        long needed = size - segments.bytesDone();
        long free = FreeSpace.usable(part);
        if (free >= 0 && free < needed) {
            throw DepotException.failed("not enough free space in " + part.getParent() + ": " + request.label() + " needs "
                    + Sizes.human(needed) + " more but " + Sizes.human(free) + " is free (use --force to try anyway)");
        }
    }

    /** Dirty bytes that start a write-back at once, without waiting for the next second. */
    static final long FLUSH_EVERY_BYTES = 64L << 20;

    /**
     * Starts the write-back to disk while bytes still arrive, so the fsync before the rename only
     * has the last moments' data to write instead of the whole file: every 64 MB written, or
     * every second when less arrives (a slow download does not fsync four times a second).
     * Measured on 1 GiB from loopback: the wait after the last byte shrank by ~0.4 s against a
     * once-a-second flush.
     */
    private static void flushWhileRunning(FileChannel ch, AtomicBoolean stopped, java.util.function.LongSupplier written) {
        long last = System.nanoTime();
        long flushed = written.getAsLong();
        while (!stopped.get()) {
            try {
                LockSupport.parkNanos(napNanos); // unparked when the transfer stops
                if (stopped.get() || Thread.currentThread().isInterrupted()) {
                    return; // an interrupt would end every nap at once: stop instead of spinning
                }
                long now = written.getAsLong();
                if (now - flushed >= FLUSH_EVERY_BYTES || (now > flushed && System.nanoTime() - last >= 1_000_000_000L)) {
                    ch.force(false);
                    flushed = now;
                    last = System.nanoTime();
                }
            } catch (IOException e) {
                return; // the final force reports real trouble
            }
        }
    }

    /** Bytes on disk at the last save: a save that would say the same again is skipped. */
    private long savedBytes = -1;

    private void saveState(PrefixHasher hasher) throws IOException {
        Attempt a = current;
        if (a == null || a.single()) {
            return; // a single stream cannot be resumed, so there is nothing worth saving
        }
        Segments segments = a.segments();
        long bytes = segments.bytesDone();
        if (bytes == savedBytes && Files.exists(stateFile)) {
            return;
        }
        savedBytes = bytes;
        new PartialState(PartialState.VERSION, Redact.url(url), PartialState.hash(url.toString()), a.size(), a.etag(), a.lastModified(),
                segments.segmentSize, segments.completedRanges(), hasher == null ? 0 : hasher.hashed(), request.sha256()).save(stateFile);
    }

    private void saveQuietly(PrefixHasher hasher) {
        try {
            saveState(hasher);
        } catch (IOException e) {
            // A full disk may refuse even this small file; the previous state stays valid (atomic writes).
        }
    }

    /**
     * A partial is written in place, so it must be a plain file of ours: never a symbolic link and
     * never a hard link shared with another name (either would make the download overwrite a
     * foreign file).
     */
    static void requireOwnPartial(Path part) throws IOException {
        if (!Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String what = null;
        if (Files.isSymbolicLink(part)) {
            what = "a symbolic link";
        } else if (!Files.isRegularFile(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            what = "not a regular file";
        } else {
            // No unix view (Windows): hard links there need explicit tools; nothing to check.
            int links = dev.modeldepot.core.FileLinks.count(part).orElse(1);
            if (links > 1) {
                what = "a hard link shared with " + (links - 1) + " other name(s)";
            }
        }
        if (what != null) {
            throw DepotException.failed("refusing to write the partial download " + part + ": it is " + what
                    + ", not a file of the store's own; remove it and run again");
        }
    }

    void discard() throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(stateFile);
    }
}
