package dev.modeldepot.download;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Whether a partial kept from one URL may be resumed from another (a new host or port, a fresh
 * signed query, a mirror). A partial belongs to its target and expected SHA-256, not to the URL
 * it came from; the new server is trusted with it only after it shows the same bytes: its ETag
 * matches the one stored, or, when it does not say, one range overlapping what is kept comes back
 * byte for byte equal. The final SHA-256 still decides what becomes visible.
 */
final class ResumeCheck {
    /** How much of the kept bytes is fetched again to compare, at most. */
    static final int PROBE_BYTES = 64 * 1024;

    private ResumeCheck() {}

    /** The kept partial is for this request: same expected SHA-256 (a partial of unknown bytes never moves). */
    static boolean sameTarget(PartialState state, DownloadRequest request) {
        return request.sha256() != null && request.sha256().equals(state.sha256());
    }

    /**
     * How the partial may be resumed from {@code url} (a sentence for the user), or null when the
     * new server's bytes cannot be shown to match it. Sizes must already agree.
     */
    static String validate(Transfer t, URI url, PartialState state, String etag, Path part) throws FetchException, InterruptedException {
        if (etag != null && !etag.startsWith("W/") && etag.equals(state.etag())) {
            return "resuming from a new URL: the server's ETag matches the kept partial's";
        }
        List<long[]> done = state.completed();
        if (done.isEmpty()) {
            return null;
        }
        long[] first = done.get(0);
        long to = first[1];
        long from = Math.max(first[0], to - PROBE_BYTES);
        byte[] remote = fetch(t, url, from, to);
        if (remote == null) {
            return null;
        }
        byte[] kept = new byte[(int) (to - from)];
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(kept);
            while (b.hasRemaining() && ch.read(b, from + b.position()) >= 0) {
                // read the kept range
            }
        } catch (IOException e) {
            return null;
        }
        return java.util.Arrays.equals(kept, remote)
                ? "resuming from a new URL: the server's ETag differs, so " + kept.length + " kept bytes were fetched again and match"
                : null;
    }

    /** Bytes [from, to) from the new server, or null when it does not answer with exactly them. */
    private static byte[] fetch(Transfer t, URI url, long from, long to) throws FetchException, InterruptedException {
        HttpFetcher.Reply r = t.fetcher.get(url, Map.of("Range", "bytes=" + from + "-" + (to - 1)));
        BodySink body = r.body();
        try {
            if (r.status() != 206 || !r.header("Content-Range").orElse("").startsWith("bytes " + from + "-" + (to - 1) + "/")) {
                return null;
            }
            ByteBuffer out = ByteBuffer.allocate((int) (to - from));
            body.start(b -> {
                if (b.remaining() > out.remaining()) {
                    throw new IOException("the server sent more than the range asked for");
                }
                out.put(b);
            }, false);
            long deadline = System.nanoTime() + t.settings.stallTimeout().toNanos();
            while (body.await(100) == BodySink.State.WAITING) {
                if (System.nanoTime() > deadline) {
                    return null;
                }
            }
            return out.hasRemaining() ? null : out.array();
        } catch (IOException e) {
            return null;
        } finally {
            body.cancel();
        }
    }
}
