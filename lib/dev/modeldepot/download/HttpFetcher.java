package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends GETs for one file and follows redirects by hand, so that the Authorization header and
 * custom headers go only to the origin they were meant for: a redirect to a CDN on another host
 * gets neither (the JDK's own redirect handling would keep custom headers), and neither does a
 * mirror, unless it is the host the user named (--token-host). {@link Redirects} decides which
 * redirects are followed at all.
 */
public final class HttpFetcher {
    private static final int MAX_REDIRECTS = 10;

    private final DownloadSettings settings;
    private final URI primary;
    private final TokenScope scope;
    /** Set by the first response: after that, a refused connection is a server restarting, worth retrying. */
    private volatile boolean answered;

    /** {@code primary} is the URL being fetched (the request's or a mirror's), {@code home} the request's own URL. */
    HttpFetcher(DownloadSettings settings, URI primary, URI home) {
        this.settings = settings;
        this.primary = primary;
        this.scope = settings.tokenHost() != null ? TokenScope.parse(settings.tokenHost()) : TokenScope.of(home);
    }

    HttpFetcher(DownloadSettings settings, URI primary) {
        this(settings, primary, primary);
    }

    /** A response whose body has not been read yet; the caller reads or cancels it. */
    record Reply(HttpResponse<BodySink> response, URI uri) {
        int status() {
            return response.statusCode();
        }

        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        BodySink body() {
            return response.body();
        }
    }

    /**
     * GET {@code start} with the given range headers (which do follow redirects: they are about
     * the bytes, not about who we are). Network failures and timeouts become RETRY.
     */
    Reply get(URI start, Map<String, String> rangeHeaders) throws FetchException, InterruptedException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET()
                    .timeout(settings.stallTimeout())
                    .header("User-Agent", Version.USER_AGENT);
            rangeHeaders.forEach(b::header);
            if (credentialsGoTo(uri)) {
                for (String h : settings.headers()) {
                    int colon = h.indexOf(':');
                    try {
                        b.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                    } catch (IllegalArgumentException e) {
                        throw DepotException.badInput("header '" + h.substring(0, colon).trim() + "' cannot be set by a download");
                    }
                }
            }
            authorization(uri).ifPresent(token -> b.header("Authorization", "Bearer " + token));
            HttpResponse<BodySink> response;
            try {
                response = settings.http().send(b.build(), info -> new BodySink());
            } catch (HttpTimeoutException e) {
                throw new FetchException(FetchException.Kind.RETRY, "no response from " + host(uri) + " within " + settings.stallTimeout().toSeconds() + " s");
            } catch (java.net.ProtocolException e) {
                // Oversized or malformed headers: the same server will send the same again.
                throw new FetchException(FetchException.Kind.PERMANENT, host(uri) + " sent a response that is not valid HTTP (" + describe(e) + ")");
            } catch (IllegalArgumentException e) {
                // The JDK refuses some headers this way, e.g. "Content-Length: abc".
                throw new FetchException(FetchException.Kind.PERMANENT, host(uri) + " sent an unreadable response header (" + describe(e) + ")");
            } catch (IOException e) {
                String unreachable = answered ? null : unreachable(e, uri);
                if (unreachable != null) {
                    throw new FetchException(FetchException.Kind.PERMANENT, unreachable);
                }
                throw new FetchException(FetchException.Kind.RETRY, "connection to " + host(uri) + " failed (" + describe(e) + ")");
            }
            answered = true;
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                response.body().cancel();
                uri = Redirects.next(uri, response.headers().firstValue("Location").orElse(null), settings.limits());
                continue;
            }
            return new Reply(response, uri);
        }
        throw new FetchException(FetchException.Kind.PERMANENT, "more than " + MAX_REDIRECTS + " redirects starting at " + Redact.url(start));
    }

    /**
     * --token goes to its own origin (default: the primary URL's), HF_TOKEN only to the Hugging
     * Face endpoint; neither ever leaves the primary URL's origin through a redirect.
     */
    Optional<String> authorization(URI uri) {
        if (!sameOrigin(uri, primary)) {
            return Optional.empty();
        }
        if (settings.token() != null && scope.covers(uri)) {
            return Optional.of(settings.token());
        }
        if (settings.hfToken() != null && settings.hfEndpoint() != null && sameOrigin(uri, settings.hfEndpoint())) {
            return Optional.of(settings.hfToken());
        }
        return Optional.empty();
    }

    /** --token and --header: only to the URL being fetched (no redirect elsewhere), and only if it is the token's host. */
    private boolean credentialsGoTo(URI uri) {
        return sameOrigin(uri, primary) && scope.covers(uri);
    }

    /** Scheme, host and port: what a browser calls an origin. */
    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    public static String origin(URI u) {
        return lower(u.getScheme()) + "://" + lower(u.getHost()) + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    static String host(URI u) {
        return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    /**
     * A host that cannot be resolved, or refuses the very first connection, will not answer the
     * next seven tries either: say so in seconds instead of retrying for a minute.
     */
    static String unreachable(IOException e, URI uri) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "cannot resolve " + uri.getHost() + " (offline? set HF_ENDPOINT, a proxy, or use --offline)";
            }
        }
        if (e instanceof java.net.ConnectException) { // the JDK's client leaves "Connection refused" out of it
            return "cannot connect to " + host(uri) + ": connection refused (is the server up? offline? set HF_ENDPOINT, a proxy, or use --offline)";
        }
        return null;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getClass().getSimpleName();
        }
        return Redact.text(m);
    }
}
