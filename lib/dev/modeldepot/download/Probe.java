package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import dev.modeldepot.download.FetchException.Kind;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GET bytes=0-0 to learn the size, the validators and whether ranges work (HEAD is not
 * trusted: some servers and CDNs answer it differently). Retried like any request.
 */
final class Probe {
    private static final Pattern TOTAL = Pattern.compile("bytes\\s+(?:\\d+-\\d+|\\*)/(\\d+)");

    /** What the server says about the file; size -1 when it does not say. */
    record Remote(long size, String etag, String lastModified, boolean ranges) {}

    private Probe() {}

    static Remote run(Transfer t, URI url, boolean forceSingle, Cancellation cancel) throws FetchException, InterruptedException {
        int attempt = 0;
        while (true) {
            HttpFetcher.Reply r = null;
            try {
                r = t.fetcher.get(url, forceSingle ? Map.of() : Map.of("Range", "bytes=0-0"));
                int status = r.status();
                String etag = r.header("ETag").orElse(null);
                String lastModified = r.header("Last-Modified").orElse(null);
                if (status == 206 || status == 416) {
                    Matcher m = TOTAL.matcher(r.header("Content-Range").orElse(""));
                    if (!m.matches()) {
                        throw new FetchException(Kind.RETRY, "the server's Content-Range is unreadable");
                    }
                    return new Remote(Long.parseLong(m.group(1)), etag, lastModified, status == 206);
                }
                if (status == 200) {
                    return new Remote(r.response().headers().firstValueAsLong("Content-Length").orElse(-1), etag, lastModified, false);
                }
                long retryAfter = Backoff.parseRetryAfter(r.header("Retry-After").orElse(null), t.settings.clock());
                throw new FetchException(Backoff.classify(status), statusSentence(status, r.uri(), t.fetcher), status, retryAfter);
            } catch (FetchException e) {
                if (e.kind != Kind.RETRY || ++attempt > t.settings.retries()) {
                    throw e;
                }
                long delay = Backoff.delayMillis(attempt, e.retryAfterMillis);
                t.listener.onEvent(new DownloadEvent.Retry(t.request.label(), attempt, e.getMessage(), delay));
                sleepUnlessCancelled(delay, cancel, t.request.label());
            } finally {
                if (r != null) {
                    r.body().cancel();
                }
            }
        }
    }

    private static void sleepUnlessCancelled(long millis, Cancellation cancel, String label) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (cancel.isCancelled()) {
                throw DepotException.interrupted("download of " + label + " interrupted while waiting to retry; run the same command again to resume");
            }
            Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
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
}
