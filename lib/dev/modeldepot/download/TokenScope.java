package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import java.net.URI;
import java.util.Locale;

/**
 * The host a user-given token (--token, --token-file, MODELDEPOT_TOKEN) and --header values belong
 * to: "host", "host:port" or "scheme://host[:port]". Left out, a port or scheme matches any; the
 * host must match exactly (no subdomains). A registry is untrusted input, so its mirrors and file
 * hosts never get these unless the user named that host.
 */
record TokenScope(String scheme, String host, int port) {
    static TokenScope parse(String text) {
        String t = text == null ? "" : text.trim();
        try {
            URI u = URI.create(t.contains("://") ? t : "any://" + t);
            if (u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
                throw new IllegalArgumentException();
            }
            String scheme = t.contains("://") ? u.getScheme().toLowerCase(Locale.ROOT) : null;
            return new TokenScope(scheme, u.getHost().toLowerCase(Locale.ROOT), u.getPort());
        } catch (IllegalArgumentException e) {
            throw DepotException.badInput("--token-host must be a host name, host:port or scheme://host[:port], not '"
                    + dev.modeldepot.core.Redact.text(t) + "'");
        }
    }

    static TokenScope of(URI url) {
        return new TokenScope(url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT),
                url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT), url.getPort() > 0 ? url.getPort() : defaultPort(url.getScheme()));
    }

    boolean covers(URI uri) {
        if (uri.getHost() == null || !uri.getHost().toLowerCase(Locale.ROOT).equals(host)) {
            return false;
        }
        if (scheme != null && !scheme.equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        int p = uri.getPort() > 0 ? uri.getPort() : defaultPort(uri.getScheme());
        int mine = port > 0 ? port : (scheme != null ? defaultPort(scheme) : -1);
        return mine < 0 || mine == p;
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
