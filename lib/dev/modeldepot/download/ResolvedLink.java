package dev.modeldepot.download;

import dev.modeldepot.core.Redact;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Where a file's ranges go: the end of its redirect chain, found once per file. A Hub answers
 * {@code /resolve/...} with a redirect to a signed CDN URL and rate-limits those requests, so
 * asking it again for every range (dozens per file) is both slow and impolite. The chain is
 * followed again only when the signed link expires (by its own expiry parameters) or the CDN
 * refuses it (401/403/410), at most {@link #MAX_REFRESHES} times per file. Credentials never
 * follow: {@link HttpFetcher} sends them only to the URL's own origin, not to the CDN.
 */
final class ResolvedLink {
    static final int MAX_REFRESHES = 3;
    /** Ask for a fresh link this long before the old one expires (a range may take a while). */
    static final long EXPIRY_MARGIN_MILLIS = 30_000;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    private record Link(URI uri, long expiresAtMillis) {}

    private final URI start;
    private final HttpFetcher fetcher;
    private final Clock clock;
    private volatile Link link;
    private int refreshes;

    ResolvedLink(URI start, HttpFetcher fetcher, Clock clock) {
        this.start = start;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    URI start() {
        return start;
    }

    /** The probe followed the chain to {@code end}: later requests go there directly. */
    void learned(URI end) {
        long expires = expiry(end);
        // A link that is already stale by our clock (clock skew) is trusted until the CDN refuses it.
        link = new Link(end, expires > clock.millis() ? expires : -1);
    }

    /** The URL to send a range to: the resolved link, resolved again first if it has expired. */
    URI current() throws FetchException, InterruptedException {
        Link l = link;
        if (l != null && !expired(l)) {
            return l.uri();
        }
        synchronized (this) {
            l = link;
            if (l != null && !expired(l)) {
                return l.uri();
            }
            if (l != null && ++refreshes > MAX_REFRESHES) {
                return l.uri(); // let the CDN say no; its answer is reported as it is
            }
            resolve();
            return link.uri();
        }
    }

    /**
     * {@code seen} (a resolved link) answered 401/403/410: true when a fresh link will be asked
     * for (the range is retried), false when the answer stands (not a resolved link, or refreshed
     * too often already).
     */
    synchronized boolean refused(URI seen) {
        Link l = link;
        if (seen.equals(start)) {
            return false;
        }
        if (l == null || !l.uri().equals(seen)) {
            return true; // another connection already asked for a fresh one
        }
        if (refreshes >= MAX_REFRESHES) {
            return false;
        }
        refreshes++;
        link = null;
        return true;
    }

    private boolean expired(Link l) {
        return l.expiresAtMillis() > 0 && clock.millis() >= l.expiresAtMillis() - EXPIRY_MARGIN_MILLIS;
    }

    /** One GET of the first byte from the start URL, following its redirects; the body is never read. */
    private void resolve() throws FetchException, InterruptedException {
        HttpFetcher.Reply r = fetcher.get(start, Map.of("Range", "bytes=0-0"));
        try {
            int status = r.status();
            if (status != 206 && status != 200) {
                throw new FetchException(Backoff.classify(status), Probe.statusSentence(status, r.uri(), fetcher), status, -1);
            }
            learned(r.uri());
        } finally {
            r.body().cancel();
        }
    }

    /**
     * When a signed URL stops working, from its own query: AWS/S3 and Hugging Face's CDN
     * ({@code X-Amz-Date} + {@code X-Amz-Expires}), Google Cloud Storage ({@code X-Goog-Date} +
     * {@code X-Goog-Expires}), CloudFront and GCS v2 ({@code Expires}, epoch seconds); -1 when none.
     */
    static long expiry(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return -1;
        }
        String date = null;
        long seconds = -1;
        long epoch = -1;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            try {
                switch (name) {
                    case "x-amz-date", "x-goog-date" -> date = value;
                    case "x-amz-expires", "x-goog-expires" -> seconds = Long.parseLong(value);
                    case "expires" -> epoch = Long.parseLong(value);
                    default -> { }
                }
            } catch (NumberFormatException e) {
                // not a number: not an expiry we can read
            }
        }
        if (date != null && seconds >= 0) {
            try {
                return LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC).toEpochMilli() + seconds * 1000;
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return epoch > 0 && epoch < Long.MAX_VALUE / 1000 ? epoch * 1000 : -1;
    }

    @Override
    public String toString() {
        Link l = link;
        return Redact.url(l == null ? start : l.uri());
    }
}
