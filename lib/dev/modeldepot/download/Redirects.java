package dev.modeldepot.download;

import dev.modeldepot.core.Redact;
import dev.modeldepot.download.FetchException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which redirects a download follows. Only http and https; never from https down to http unless
 * the user allows it (--allow-insecure-redirect); never from a remote URL to this machine's own
 * services (loopback, link-local, "any" addresses), which a hostile server could use to reach an
 * unauthenticated local port. Every refusal is one sentence and does not retry.
 */
final class Redirects {
    private Redirects() {}

    static URI next(URI from, String location, Limits limits) throws FetchException {
        String where = HttpFetcher.host(from);
        if (location == null || location.isBlank()) {
            throw refused(where + " answered a redirect without a Location");
        }
        URI to;
        try {
            to = from.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused(where + " answered a redirect to a malformed Location");
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            String shown = scheme.matches("[a-z][a-z0-9+.-]{0,15}") ? scheme + "://" : "a non-HTTP";
            throw refused(where + " redirected to a " + shown + " URL; only http and https redirects are followed");
        }
        if (to.getHost() == null || to.getHost().isBlank()) {
            throw refused(where + " answered a redirect to a malformed Location (no host)");
        }
        if ("https".equalsIgnoreCase(from.getScheme()) && scheme.equals("http") && !limits.allowInsecureRedirect()) {
            throw refused(where + " redirected from https to plain http (" + Redact.url(to)
                    + "); refused, because the bytes could be changed on the way (--allow-insecure-redirect follows it)");
        }
        if (!isLocal(from.getHost()) && isLocal(to.getHost())) {
            throw refused(where + " redirected to " + HttpFetcher.host(to)
                    + ", an address of this machine; refused, because a remote server may not send a download to local services");
        }
        return to;
    }

    /** Loopback, link-local or the "any" address, by name or by what the name resolves to. */
    static boolean isLocal(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
                    return true;
                }
            }
        } catch (UnknownHostException | SecurityException e) {
            return false; // the request itself will fail to connect, and say so
        }
        return false;
    }

    private static FetchException refused(String sentence) {
        return new FetchException(Kind.PERMANENT, sentence);
    }
}
