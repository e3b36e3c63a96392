package dev.modeldepot.download;

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
                if (status == 206 || status == 200) {
                    t.link.learned(r.uri());
                }
                if (status == 206 || status == 416) {
                    Matcher m = TOTAL.matcher(r.header("Content-Range").orElse(""));
                    if (!m.matches()) {
                        throw new FetchException(Kind.RETRY, "the server's Content-Range is unreadable");
                    }
                    return new Remote(length(m.group(1), "Content-Range total", r), etag, lastModified, status == 206);
                }
                if (status == 200) {
                    String length = r.header("Content-Length").orElse(null);
                    return new Remote(length == null ? -1 : length(length, "Content-Length", r), etag, lastModified, false);
                }
                long retryAfter = Backoff.parseRetryAfter(r.header("Retry-After").orElse(null), t.settings.clock());
                throw new FetchException(Backoff.classify(status), statusSentence(status, r.uri(), t.fetcher), status, retryAfter);
            } catch (FetchException e) {
                if (e.kind != Kind.RETRY || ++attempt > t.settings.retries()) {
                    throw e;
                }
                long delay = Backoff.delayMillis(attempt, e.retryAfterMillis);
                t.listener.onEvent(new DownloadEvent.Retry(t.request.label(), attempt, e.getMessage(), delay));
                Sleeper.backoff(delay, cancel, t.settings.limits(), t.settings.clock(), t.request.label(), "run the same command again to resume");
            } finally {
                if (r != null) {
                    r.body().cancel();
                }
            }
        }
    }

    /** A size header as a number of bytes; anything else (letters, past 2^63) is a server to give up on. */
    static long length(String text, String header, HttpFetcher.Reply r) throws FetchException {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new FetchException(Kind.PERMANENT, HttpFetcher.host(r.uri()) + " sent a " + header + " that is not a usable size");
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
