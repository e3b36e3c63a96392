package dev.modeldepot.download;

import dev.modeldepot.cli.DepotException;
import dev.modeldepot.download.FetchException.Kind;
import dev.modeldepot.util.Redact;
import dev.modeldepot.util.Sizes;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file from one URL into its partial file: probe, resume or start over, parallel range
 * workers plus the prefix hasher, state saved every second. Returns when every byte is on disk
 * and hashed; the engine decides whether the result may become visible.
 */
final class Transfer {
    private static final Pattern TOTAL = Pattern.compile("bytes\\s+(?:\\d+-\\d+|\\*)/(\\d+)");
    static final long SAVE_EVERY_MILLIS = 500;
    static final long PROGRESS_EVERY_MILLIS = 500;

    record Outcome(long size, String sha256, String etag, String lastModified) {}

    final DownloadRequest request;
    final DownloadSettings settings;
    final DownloadListener listener;
    final HttpFetcher fetcher;
    final AtomicLong fetched;
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger active = new AtomicInteger();
    private final URI url;
    private final Cancellation cancel;
    private final Path part;
    private final Path stateFile;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private volatile boolean stop;

    // Set per attempt, read by workers.
    volatile boolean single;
    volatile long size;
    volatile String etag;
    volatile String lastModified;
    volatile Segments segments;
    volatile FileChannel channel;
    Throttle throttle;

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
        this.fetcher = new HttpFetcher(settings, url);
    }

    Outcome run() throws FetchException, InterruptedException, IOException {
        int restarts = 0;
        boolean forceSingle = false;
        while (true) {
            try {
                return attempt(forceSingle);
            } catch (FetchException e) {
                boolean again = switch (e.kind) {
                    case NO_RANGES -> !forceSingle;
                    case CHANGED -> ++restarts <= 3;
                    case RETRY -> single && failures.incrementAndGet() <= settings.retries();
                    default -> false;
                };
                if (!again) {
                    throw e;
                }
                forceSingle |= e.kind == Kind.NO_RANGES;
                String reason = switch (e.kind) {
                    case NO_RANGES -> e.getMessage() + "; continuing as one stream from the start";
                    case CHANGED -> e.getMessage() + "; starting this file over";
                    default -> e.getMessage() + "; a single stream cannot resume, starting over";
                };
                long delay = e.kind == Kind.RETRY ? Backoff.delayMillis(failures.get(), e.retryAfterMillis) : 0;
                listener.onEvent(new DownloadEvent.Retry(request.label(), Math.max(1, failures.get()), reason, delay));
                discard();
                Thread.sleep(delay);
            }
        }
    }

    private Outcome attempt(boolean forceSingle) throws FetchException, InterruptedException, IOException {
        stop = false;
        fatal.set(null);
        PartialState state = PartialState.load(stateFile);
        if (state != null && (!state.urlHash().equals(PartialState.hash(url.toString())) || !Files.exists(part))) {
            state = null;
        }
        boolean ranges = probe(forceSingle);
        if (request.expectedSize() >= 0 && size >= 0 && size != request.expectedSize()) {
            throw new FetchException(Kind.MISMATCH, "the server has " + size + " bytes for " + request.label() + " but " + request.expectedSize() + " were expected");
        }
        if (state != null && (!ranges || state.size() != size || !java.util.Objects.equals(state.etag(), etag)
                || (etag == null && !java.util.Objects.equals(state.lastModified(), lastModified)))) {
            listener.onEvent(new DownloadEvent.Retry(request.label(), 1, ranges
                    ? "the file changed on the server since the partial download; starting over" : "the server cannot resume; starting over", 0));
            state = null;
        }
        if (state == null) {
            discard();
        }
        single = !ranges;
        int conns = single ? 1 : settings.connectionsFor(size);
        long segmentSize = state != null ? state.segmentSize() : settings.segmentSizeFor(size, conns);
        segments = single ? new Segments(size, size < 0 ? Long.MAX_VALUE : Math.max(1, size), List.of())
                : new Segments(size, segmentSize, state == null ? List.of() : state.completed());
        checkFreeSpace();
        throttle = new Throttle(settings.limitRate());
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel = ch;
            if (size > 0 && ch.size() < size) {
                settings.writer().write(ch, ByteBuffer.wrap(new byte[1]), size - 1); // sparse preallocation
            }
            saveState(null);
            listener.onEvent(new DownloadEvent.Started(request.label(), segments.bytesDone(), size, conns));
            PrefixHasher hasher = new PrefixHasher(ch, segments);
            List<Thread> threads = new ArrayList<>();
            threads.add(thread(hasher, "hash " + request.label()));
            Thread flusher = thread(() -> flushWhileRunning(ch), "flush " + request.label());
            for (int c = 0; c < conns; c++) {
                threads.add(thread(new RangeWorker(this, url), "download " + request.label() + " #" + c));
            }
            threads.forEach(Thread::start);
            flusher.start();
            try {
                supervise(hasher);
            } finally {
                stop = true;
                hasher.stop();
                for (Thread th : threads) {
                    th.interrupt();
                    th.join(5000);
                }
                // Never interrupted: an interrupt that lands inside force() closes the channel for
                // every thread, and the final force below then fails with ClosedChannelException.
                LockSupport.unpark(flusher);
                flusher.join(5000);
            }
            ch.force(true);
            long finalSize = size >= 0 ? size : segments.bytesDone();
            return new Outcome(finalSize, hasher.hex(), etag, lastModified);
        } finally {
            channel = null;
        }
    }

    private void supervise(PrefixHasher hasher) throws IOException, InterruptedException {
        SpeedMeter meter = new SpeedMeter(settings.clock(), 5000);
        long lastSave = System.nanoTime();
        long lastProgress = 0;
        while (true) {
            Thread.sleep(50);
            if (cancel.isCancelled()) {
                stop = true;
                saveState(hasher);
                throw DepotException.interrupted("download of " + request.label() + " interrupted with " + Sizes.human(segments.bytesDone())
                        + " kept; run the same command again to resume");
            }
            Throwable f = fatal.get();
            if (f == null && hasher.failure() != null) {
                f = hasher.failure();
            }
            if (f != null) {
                stop = true;
                saveQuietly(hasher);
                if (f instanceof FetchException fe) {
                    throw fe;
                }
                if (f instanceof IOException io) {
                    throw diskTrouble(io);
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
                listener.onEvent(new DownloadEvent.Progress(request.label(), bytes, size, speed, SpeedMeter.eta(bytes, size, speed)));
            }
            if (now - lastSave >= SAVE_EVERY_MILLIS * 1_000_000) {
                lastSave = now;
                saveQuietly(hasher);
            }
        }
    }

    /** Disk full or a write error: stop cleanly, keep the partial, say where and how much room. */
    private DepotException diskTrouble(IOException e) {
        String m = HttpFetcher.describe(e);
        if (m.contains("No space left") || m.contains("not enough space") || m.contains("Disk quota")) {
            return DepotException.failed("the disk is full writing " + part + " (" + Sizes.human(FreeSpace.usable(part)) + " free); "
                    + Sizes.human(segments.bytesDone()) + " kept: free some space and run the same command again to resume", e);
        }
        return DepotException.failed("cannot write " + part + ": " + m + "; partial kept", e);
    }

    /**
     * GET bytes=0-0 to learn the size, the validators and whether ranges work (HEAD is not
     * trusted: some servers and CDNs answer it differently). Retries like any request.
     */
    private boolean probe(boolean forceSingle) throws FetchException, InterruptedException {
        int attempt = 0;
        while (true) {
            HttpFetcher.Reply r = null;
            try {
                r = fetcher.get(url, forceSingle ? Map.of() : Map.of("Range", "bytes=0-0"));
                int status = r.status();
                etag = r.header("ETag").orElse(null);
                lastModified = r.header("Last-Modified").orElse(null);
                if (status == 206 || status == 416) {
                    Matcher m = TOTAL.matcher(r.header("Content-Range").orElse(""));
                    if (!m.matches()) {
                        throw new FetchException(Kind.RETRY, "the server's Content-Range is unreadable");
                    }
                    size = Long.parseLong(m.group(1));
                    return status == 206;
                }
                if (status == 200) {
                    size = r.response().headers().firstValueAsLong("Content-Length").orElse(-1);
                    return false;
                }
                long retryAfter = Backoff.parseRetryAfter(r.header("Retry-After").orElse(null), settings.clock());
                throw new FetchException(Backoff.classify(status), statusSentence(status, r.uri(), fetcher), status, retryAfter);
            } catch (FetchException e) {
                if (e.kind != Kind.RETRY || ++attempt > settings.retries()) {
                    throw e;
                }
                long delay = Backoff.delayMillis(attempt, e.retryAfterMillis);
                listener.onEvent(new DownloadEvent.Retry(request.label(), attempt, e.getMessage(), delay));
                sleepUnlessCancelled(delay);
            } finally {
                if (r != null) {
                    r.body().cancel();
                }
            }
        }
    }

    private void sleepUnlessCancelled(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (cancel.isCancelled()) {
                throw DepotException.interrupted("download of " + request.label() + " interrupted while waiting to retry; run the same command again to resume");
            }
            Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private void checkFreeSpace() {
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

    /** If-Range takes a strong ETag or a date; a weak ETag cannot be used, so then the date. */
    String ifRangeValidator() {
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return lastModified;
    }

    static String statusSentence(int status, URI uri, HttpFetcher fetcher) {
        String where = Redact.url(uri);
        return switch (status) {
            case 401, 403 -> where + " answered " + status + (status == 401 ? " Unauthorized" : " Forbidden")
                    + (fetcher.authorization(uri).isPresent() ? ": the token was refused" : ": it needs a token (--token or HF_TOKEN)");
            case 404 -> where + " answered 404 Not Found";
            case 410 -> where + " answered 410 Gone";
            default -> where + " answered HTTP " + status;
        };
    }

    /**
     * Starts the write-back to disk while bytes still arrive, so the fsync before the rename
     * only has the last second's data to write instead of the whole file.
     */
    private void flushWhileRunning(FileChannel ch) {
        while (!stop) {
            LockSupport.parkNanos(1_000_000_000L); // woken early by unpark when the transfer ends
            if (stop) {
                return;
            }
            try {
                ch.force(false);
            } catch (IOException e) {
                return; // the final force reports real trouble
            }
        }
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true); // never keeps the JVM alive after Ctrl-C
        return t;
    }

    boolean stopped() {
        return stop || Thread.currentThread().isInterrupted();
    }

    void fail(Throwable e) {
        fatal.compareAndSet(null, e);
        stop = true;
    }

    private void saveState(PrefixHasher hasher) throws IOException {
        if (single) {
            return; // a single stream cannot be resumed, so there is nothing worth saving
        }
        new PartialState(PartialState.VERSION, Redact.url(url), PartialState.hash(url.toString()), size, etag, lastModified,
                segments.segmentSize, segments.completedRanges(), hasher == null ? 0 : hasher.hashed()).save(stateFile);
    }

    private void saveQuietly(PrefixHasher hasher) {
        try {
            saveState(hasher);
        } catch (IOException e) {
            // A full disk may refuse even this small file; the previous state stays valid (atomic writes).
        }
    }

    void discard() throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(stateFile);
    }
}
