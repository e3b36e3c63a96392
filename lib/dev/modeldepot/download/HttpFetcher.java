package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    record Reply(int status, HttpURLConnection connection, BodySink body, URI uri) {
        Optional<String> header(String name) {
            return Optional.ofNullable(connection.getHeaderField(name));
        }
    }

    /**
     * Headers the HTTP layer owns: the JDK's connection would drop them silently, so they are
     * refused with a sentence instead.
     */
    private static final Set<String> OWN_HEADERS = Set.of("connection", "content-length", "expect", "host", "keep-alive",
            "te", "trailer", "transfer-encoding", "upgrade", "via", "origin");

    /**
     * GET {@code start} with the given range headers (which do follow redirects: they are about
     * the bytes, not about who we are). Network failures and timeouts become RETRY.
     *
     * <p>The transfer uses the JDK's blocking {@link HttpURLConnection}, not {@code java.net.http}:
     * measured in docs/design/download.md, its body path costs a third of the CPU per GiB. The
     * settings' {@code HttpClient} still supplies the proxy selector.
     */
    Reply get(URI start, Map<String, String> rangeHeaders) throws FetchException, InterruptedException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(uri);
            rangeHeaders.forEach(c::setRequestProperty);
            if (credentialsGoTo(uri)) {
                for (String h : settings.headers()) {
                    int colon = h.indexOf(':');
                    String name = h.substring(0, colon).trim();
                    try {
                        if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                            throw new IllegalArgumentException(name);
                        }
                        c.setRequestProperty(name, h.substring(colon + 1).trim());
                    } catch (IllegalArgumentException e) {
                        throw DepotException.badInput("header '" + name + "' cannot be set by a download");
                    }
                }
            }
            authorization(uri).ifPresent(token -> c.setRequestProperty("Authorization", "Bearer " + token));
            int status;
            try {
                status = c.getResponseCode();
                if (status < 100) {
                    throw new java.net.ProtocolException("no HTTP status line");
                }
                String length = c.getHeaderField("Content-Length");
                if (length != null && !length.trim().matches("\\d{1,18}")) {
                    c.disconnect();
                    throw new IllegalArgumentException("Content-Length: " + length);
                }
            } catch (SocketTimeoutException e) {
                c.disconnect();
                throw new FetchException(FetchException.Kind.RETRY, "no response from " + host(uri) + " within " + settings.stallTimeout().toSeconds() + " s");
            } catch (java.net.ProtocolException e) {
                // Oversized or malformed headers: the same server will send the same again.
                c.disconnect();
                throw new FetchException(FetchException.Kind.PERMANENT, host(uri) + " sent a response that is not valid HTTP (" + describe(e) + ")");
            } catch (IllegalArgumentException e) {
                throw new FetchException(FetchException.Kind.PERMANENT, host(uri) + " sent an unreadable response header (" + describe(e) + ")");
            } catch (IOException e) {
                c.disconnect();
                String unreachable = answered ? null : unreachable(e, uri);
                if (unreachable != null) {
                    throw new FetchException(FetchException.Kind.PERMANENT, unreachable);
                }
                throw new FetchException(FetchException.Kind.RETRY, "connection to " + host(uri) + " failed (" + describe(e) + ")");
            }
            answered = true;
            BodySink body = new BodySink(bodyStream(c, status));
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                body.cancel();
                uri = Redirects.next(uri, c.getHeaderField("Location"), settings.limits());
                continue;
            }
            return new Reply(status, c, body, uri);
        }
        throw new FetchException(FetchException.Kind.PERMANENT, "more than " + MAX_REDIRECTS + " redirects starting at " + Redact.url(start));
    }

    private HttpURLConnection open(URI uri) throws FetchException {
        try {
            ProxySelector selector = settings.http().proxy().orElse(ProxySelector.getDefault());
            List<Proxy> proxies = selector == null ? List.of() : selector.select(uri);
            Proxy proxy = proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(proxy);
            c.setInstanceFollowRedirects(false); // the engine follows them, to keep credentials home
            c.setUseCaches(false);
            int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.stallTimeout().toMillis()));
            c.setConnectTimeout((int) Math.min(timeout, settings.http().connectTimeout().map(d -> d.toMillis()).orElse((long) timeout)));
            c.setReadTimeout(timeout);
            c.setRequestProperty("User-Agent", Version.USER_AGENT);
            c.setRequestProperty("Accept", "*/*");
            c.setRequestProperty("Accept-Encoding", "identity"); // the bytes as stored: never a compressed variant
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new FetchException(FetchException.Kind.PERMANENT, "cannot request " + Redact.url(uri) + " (" + describe(e) + ")");
        }
    }

    /** The body to read: the stream of a success, the error stream (or none) of anything else. */
    private static java.io.InputStream bodyStream(HttpURLConnection c, int status) {
        try {
            return status < 400 ? c.getInputStream() : c.getErrorStream();
        } catch (IOException e) {
            return null; // no body to read: the status says it all
        }
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
