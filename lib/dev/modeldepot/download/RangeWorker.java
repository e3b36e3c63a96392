package dev.modeldepot.download;

import dev.modeldepot.download.FetchException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection: takes the lowest pending segment, fetches the rest of it with Range/If-Range,
 * checks 206 and Content-Range, writes at positions. A failed or stalled request puts what is
 * left of its segment back on the list for any worker to pick up. While it is the only worker
 * made for the attempt (the ramp has not added any), one request runs on through the pending
 * segments after its own (up to {@link #RUN_BYTES}), taking each as its bytes arrive: few
 * requests on a fast server, small work items to share when more connections join (the first
 * one to take a segment has it, and this request then ends there). Once the ramp has added
 * workers, requests stay one segment each for the rest of the attempt.
 */
final class RangeWorker implements Runnable {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private final Transfer t;
    /** This attempt's own record: a later attempt has its own, never this one. */
    private final Transfer.Attempt a;
    /** Where this worker's current request went (the resolved link), for messages. */
    private URI uri;
    private final AtomicBoolean stop;
    private final Segments segments;
    private final boolean single;
    /** The most one request asks for when it runs on through the following segments. */
    static final long RUN_BYTES = 256L << 20;
    /** The segment this worker's request writes now (it moves on as a run is taken); the pump thread sets it. */
    private volatile int holding;
    /** New bytes the current request has written (what the retry budget weighs). */
    private volatile long got; // written by the body's pump thread (SegmentWriter), read here

    RangeWorker(Transfer transfer, Transfer.Attempt attempt) {
        this.t = transfer;
        this.a = attempt;
        this.uri = transfer.link.start();
        this.stop = attempt.stop();
        this.segments = attempt.segments();
        this.single = attempt.single();
        attempt.workers().incrementAndGet();
    }

    private boolean stopped() {
        return stop.get();
    }

    private void fail(Throwable e) {
        a.fatal().compareAndSet(null, e);
        stop.set(true);
    }

    @Override
    public void run() {
        while (!stopped()) {
            Integer i = segments.take();
            if (i == null) {
                if (segments.allDone() || a.active().get() == 0) {
                    return;
                }
                sleep(20); // another worker may still put a failed range back
                continue;
            }
            if (segments.complete(i)) {
                continue;
            }
            a.active().incrementAndGet();
            holding = i;
            try {
                fetch(i);
            } catch (FetchException e) {
                segments.requeue(holding);
                if (e.kind != Kind.RETRY || single) {
                    fail(e); // a single stream cannot continue mid-way: the transfer starts it over
                    return;
                }
                int attempt = t.budget.rangeFailed(got, segments.segmentSize);
                if (!t.budget.allows(attempt)) {
                    fail(new FetchException(Kind.RETRY, e.getMessage() + " (gave up after " + t.budget.retries()
                            + " attempts in a row without progress)", e.status, -1));
                    return;
                }
                long delay = Backoff.delayMillis(attempt, e.retryAfterMillis);
                t.listener.onEvent(new DownloadEvent.Retry(t.request.label(), attempt, e.getMessage(), delay));
                sleep(delay);
            } catch (IOException e) {
                segments.requeue(holding);
                fail(e); // the local disk, not the network: retrying will not help
                return;
            } catch (InterruptedException e) {
                segments.requeue(holding);
                return;
            } catch (RuntimeException e) {
                segments.requeue(holding);
                fail(e);
                return;
            } finally {
                a.active().decrementAndGet();
            }
        }
    }

    private void fetch(int i) throws IOException, InterruptedException {
        got = 0;
        Segments s = segments;
        long from = s.start(i) + s.done(i);
        // The only worker made so far: the request runs on through the untouched pending segments
        // after this one; a worker added later takes the first one the run has not reached, and the run ends there.
        int last = single || a.workers().get() > 1 ? i : s.runEnd(i, RUN_BYTES);
        long to = s.end(last) - 1;
        Map<String, String> headers = new LinkedHashMap<>();
        if (!single) {
            headers.put("Range", "bytes=" + from + "-" + to);
            String validator = a.ifRangeValidator();
            if (validator != null) {
                headers.put("If-Range", validator);
            }
        }
        uri = t.link.current(); // the end of the redirect chain, found once per file
        HttpFetcher.Reply reply = t.fetcher.get(uri, headers);
        BodySink body = reply.body();
        SegmentWriter sink = new SegmentWriter(i, from, s.end(last), body);
        boolean received = false;
        try {
            sink.answeredUpTo(check(reply, from, to));
            received = stream(i, body, sink);
        } finally {
            body.cancel();
            sink.close();
            if (!received) {
                // The segment may go back on the list: what arrived is written first, so no
                // other request starts from a count that bytes still in memory would change.
                sink.awaitWritten();
            }
        }
        if (sink.endedShort() && sink.awaitWritten()) {
            segments.requeue(holding); // the server answered less than asked (it caps ranges): the rest is fetched anew
        }
    }

    /**
     * Every answer is checked: a wrong status, range or validator never reaches the file. Returns
     * where the answer ends (exclusive): a server may answer a range with less than was asked.
     */
    private long check(HttpFetcher.Reply reply, long from, long to) throws FetchException {
        int status = reply.status();
        String etag = reply.header("ETag").orElse(null);
        if (single) {
            if (status != 200) {
                throw statusFailure(reply);
            }
            return Long.MAX_VALUE;
        }
        if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(reply.header("Content-Range").orElse(""));
            if (!m.matches() || number(m.group(1)) != from || number(m.group(2)) > to || number(m.group(2)) < from) {
                throw new FetchException(Kind.RETRY, "server answered bytes " + reply.header("Content-Range").orElse("(no Content-Range)") + " to a request for bytes " + from + "-" + to);
            }
            if (!m.group(3).equals("*") && number(m.group(3)) != a.size()) {
                throw new FetchException(Kind.CHANGED, "the file's size on the server changed from " + a.size() + " to " + m.group(3) + " bytes");
            }
            if (etag != null && a.etag() != null && !etag.equals(a.etag())) {
                throw new FetchException(Kind.CHANGED, "the file changed on the server (ETag " + a.etag() + " became " + etag + ")");
            }
            return number(m.group(2)) + 1;
        }
        if (status == 200) {
            boolean changed = (etag != null && a.etag() != null && !etag.equals(a.etag()))
                    || (a.etag() == null && a.lastModified() != null && !a.lastModified().equals(reply.header("Last-Modified").orElse(a.lastModified())));
            throw new FetchException(changed ? Kind.CHANGED : Kind.NO_RANGES,
                    changed ? "the file changed on the server" : "the server sent the whole file to a ranged request");
        }
        if (status == 416) {
            throw new FetchException(Kind.CHANGED, "the server refused the saved range (416): the partial is stale");
        }
        throw statusFailure(reply);
    }

    /** A Content-Range number; one past 2^63 reads as -1 and fails the checks instead of throwing. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    FetchException statusFailure(HttpFetcher.Reply reply) {
        int status = reply.status();
        if ((status == 401 || status == 403 || status == 410) && t.link.refused(uri)) {
            // A signed CDN link that expired or was revoked: the origin gives a fresh one.
            return new FetchException(Kind.RETRY, HttpFetcher.host(uri) + " answered " + status + " to the resolved download link; asking "
                    + HttpFetcher.host(t.link.start()) + " for a new one", status, 0); // a fresh link needs no wait
        }
        long retryAfter = Backoff.parseRetryAfter(reply.header("Retry-After").orElse(null), t.settings.clock());
        return new FetchException(Backoff.classify(status), Probe.statusSentence(status, reply.uri(), t.fetcher), status, retryAfter);
    }

    /**
     * Lets the client's thread write the body straight into the partial file (see
     * {@link SegmentWriter}) while this thread only watches: the end, a stall, a stop.
     */
    /**
     * True when every byte the answer announced arrived, up to where its run ended (it may still
     * be on its way to disk), false after a stop.
     */
    private boolean stream(int i, BodySink body, SegmentWriter sink) throws IOException, InterruptedException {
        Segments s = segments;
        long stallNanos = Math.max(1, t.settings.stallTimeout().toMillis()) * 1_000_000;
        long poll = Math.min(250, Math.max(1, t.settings.stallTimeout().toMillis()));
        SpeedFloor floor = new SpeedFloor(SpeedFloor.effective(t.settings.limits().minSpeed(), t.settings.limitRate(), a.connections()),
                t.settings.limits().minSpeedTime(), System.nanoTime());
        body.start(sink, a.throttle().limited());
        while (true) {
            BodySink.State state;
            try {
                state = body.await(poll);
            } catch (BodySink.WriteFailure e) {
                throw e.disk();
            } catch (IOException e) {
                throw new FetchException(Kind.RETRY, "connection to " + HttpFetcher.host(uri) + " broke after " + got + " bytes (" + HttpFetcher.describe(e) + ")");
            }
            if (state == BodySink.State.ENDED) {
                break;
            }
            if (stopped()) {
                return false;
            }
            if (floor.tooSlow(got, System.nanoTime())) {
                throw new FetchException(Kind.RETRY, HttpFetcher.host(uri) + " was " + floor.describe() + "; range re-queued");
            }
            if (body.quietNanos() >= stallNanos) {
                throw new FetchException(Kind.RETRY, "no data from " + HttpFetcher.host(uri) + " for " + t.settings.stallTimeout().toSeconds() + " s; range re-queued");
            }
        }
        sink.close();
        if (s.size < 0) {
            if (!sink.awaitWritten()) {
                return false; // the writer failed: the supervisor reports it
            }
            s.endStream(); // only once every byte is counted: the hasher ends at the count
        } else if (!sink.receivedAll()) {
            throw new FetchException(Kind.RETRY, "the body from " + HttpFetcher.host(uri) + " ended early (truncated after " + got + " bytes)");
        }
        return true;
    }

    /**
     * Runs on the body's pump thread: gathers the bytes in a staging block of
     * {@link StagingBuffers} and hands each full block to the attempt's {@link WriteBehind}, so
     * the pump reads on while the block goes to disk. At a segment's end it takes the next one of
     * the request's run; when another worker has it, the body is stopped there (the connection
     * closes) and any bytes past it are dropped. A slow body's block is handed on every
     * {@link #HAND_ON_NANOS}, so progress and the state file follow it. Without a free block it
     * writes through the page cache itself.
     */
    private final class SegmentWriter implements BodySink.Consumer {
        /** How long a partly filled block may wait for more bytes. */
        private static final long HAND_ON_NANOS = 250_000_000;
        /**
         * How long to wait for a free block before writing the bytes the ordinary way. Blocks are
         * all taken when the hasher is the slowest step: then waiting is the right back-pressure,
         * and a block comes free within milliseconds.
         */
        private static final long WAIT_FOR_BLOCK_NANOS = 1_000_000_000;
        /** The segment being written, and where it ends: both move on when the request's run goes on. */
        private int i;
        private long end;
        /** Where the request's run ends (the end of the last segment it asked for). */
        private long requestEnd;
        private final BodySink body;
        final WriteBehind.Request request = new WriteBehind.Request();
        /** File position of the next byte to arrive. */
        private long next;
        private ByteBuffer stage;
        private int stageFrom;
        private long stageStarted;
        private boolean closed;
        /** The last bytes were staged: the next block continues a chain the hasher takes from memory. */
        private boolean chained;
        /** No block was free: the rest of this request is written in place. */
        private boolean inPlace;
        private final int[] prefixHint = {0};
        private long unpaid; // bytes not yet booked against --limit-rate (pump thread only)

        SegmentWriter(int i, long from, long requestEnd, BodySink body) {
            this.i = i;
            this.next = from;
            this.end = segments.end(i);
            this.requestEnd = requestEnd;
            this.body = body;
        }

        @Override
        public synchronized void accept(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (closed || stopped() || (next >= end && !nextSegment())) {
                    return; // bytes past what this request may write are dropped
                }
                long at = next;
                int n = (int) Math.min(b.remaining(), end - next);
                write(b.duplicate().limit(b.position() + n));
                b.position(b.position() + n);
                if (next != at + n) {
                    return; // nothing after a lost block is written (see writeNow)
                }
            }
        }

        /**
         * At the end of a segment: takes the next one of the request's run if no other connection
         * has, else ends the request here (its body is stopped: someone else fetches the rest).
         */
        private boolean nextSegment() {
            if (end >= requestEnd) {
                return false;
            }
            int j = i + 1; // write() handed this segment's last block on at its end: a block belongs to one segment
            if (!segments.claim(j)) {
                return endRunHere();
            }
            if (segments.start(j) + segments.done(j) != next) { // another worker wrote part of it, then put it back
                segments.requeue(j);
                return endRunHere();
            }
            i = j;
            holding = j;
            end = segments.end(j);
            return true;
        }

        /** The run ends at this segment's end: the rest of the body is not read. Always false. */
        private boolean endRunHere() {
            requestEnd = end;
            body.cancel();
            return false;
        }

        /** Bytes that all belong to segment {@link #i}. */
        private void write(ByteBuffer b) throws IOException {
            int n = b.remaining();
            a.limit().check(next + n, t.request.label()); // an endless body stops here, before a byte too many is written
            while (b.hasRemaining()) {
                if (stage == null && !startBlock()) {
                    writeNow(b);
                    break;
                }
                int k = Math.min(b.remaining(), stage.remaining());
                stage.put(stage.position(), b, b.position(), k);
                stage.position(stage.position() + k);
                b.position(b.position() + k);
                next += k;
                if (!stage.hasRemaining()) {
                    handOn();
                }
            }
            got += n;
            unpaid += n;
            if (stage != null && (next >= end || System.nanoTime() - stageStarted >= HAND_ON_NANOS)) {
                handOn();
            }
        }

        /**
         * Stages the next bytes in a fresh block whose offsets match the file's page offsets (so
         * its whole pages can go O_DIRECT), or says to write them in place: without O_DIRECT, when
         * the block could not go to the hasher from memory anyway (it neither continues the last
         * queued block nor follows bytes all on disk: another connection's range is behind), or
         * when no block is free (then for the
         * rest of this request, so a busy pool costs one wait, not one per read).
         */
        private boolean startBlock() {
            if (a.writes() == null || inPlace
                    || !(chained || next == a.writes().lastQueuedEnd() || segments.prefix(prefixHint) == next)) {
                return false;
            }
            stage = StagingBuffers.SHARED.take(WAIT_FOR_BLOCK_NANOS, RangeWorker.this::stopped);
            if (stage == null) {
                inPlace = true;
                return false;
            }
            stageFrom = (int) (next % StagingBuffers.ALIGN);
            stage.limit(StagingBuffers.SIZE).position(stageFrom);
            stageStarted = System.nanoTime();
            return true;
        }

        private void handOn() {
            ByteBuffer full = stage;
            stage = null;
            int to = full.position();
            if (to == stageFrom) {
                StagingBuffers.SHARED.give(full);
                return;
            }
            a.writes().submit(new WriteBehind.Block(i, full, stageFrom, to, next - (to - stageFrom), request));
            chained = true;
        }

        /** No block came free: once this request's earlier blocks are written, write these bytes in place. */
        private void writeNow(ByteBuffer b) throws IOException {
            if (a.writes() != null && (!a.writes().awaitWritten(request) || stopped())) {
                b.position(b.limit()); // a block before these failed, or the attempt is ending: count nothing after it
                return;
            }
            chained = false;
            int n = b.remaining();
            long pos = next;
            t.settings.writer().write(a.channel(), b, pos);
            next += n;
            segments.advance(i, n);
            t.fetched.addAndGet(n);
        }

        /** No more bytes are taken; what is staged is handed on to be written. Idempotent. */
        synchronized void close() {
            closed = true;
            if (stage != null) {
                handOn();
            }
        }

        /** Waits for this request's staged blocks to be written; false if the writer failed. */
        boolean awaitWritten() {
            return a.writes() == null || a.writes().awaitWritten(request);
        }

        /** The answer ends at {@code position} (exclusive): the run goes no further. */
        synchronized void answeredUpTo(long position) {
            requestEnd = Math.min(requestEnd, position);
        }

        /**
         * Every byte the answer announced arrived (written, or on its way to disk): to where the
         * run ended, or where a server that answers less than asked ended its answer.
         */
        synchronized boolean receivedAll() {
            return next >= Math.min(end, requestEnd);
        }

        /** The answer ended inside the segment being written (a server that caps ranges): its rest goes back. */
        synchronized boolean endedShort() {
            return closed && next >= requestEnd && next < end;
        }

        @Override
        public long pauseNanos() {
            long n = unpaid;
            unpaid = 0;
            return a.throttle().reserve(n);
        }
    }

    /** A backoff that a stop (cancel, deadline, another worker's failure) ends within a step. */
    private void sleep(long millis) {
        try {
            Sleeper.sleep(millis, this::stopped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
