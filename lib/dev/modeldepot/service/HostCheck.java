package dev.modeldepot.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The guard against DNS rebinding: a web page at {@code evil.example} whose name is re-pointed to
 * 127.0.0.1 makes the browser send requests to this service, but always with
 * {@code Host: evil.example}. So a request is answered only when its Host header names the address
 * the service listens on (any of this machine's IP addresses when it listens on all of them), a
 * loopback address when it listens on loopback, or {@code localhost}. IP literals are compared as
 * addresses, never looked up; names other than localhost are refused. A request without a Host
 * header (HTTP/1.0 tools, never a browser) passes.
 */
final class HostCheck {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[0-9a-z._-]+)?");

    private final InetAddress bound;

    HostCheck(InetAddress bound) {
        this.bound = bound;
    }

    /** Null when {@code header} is acceptable, else the one sentence of the 421 answer. */
    String refusal(String header) {
        if (header == null || allowed(hostOf(header.trim().toLowerCase(Locale.ROOT)))) {
            return null;
        }
        return "this service answers requests addressed to " + names() + ", not to '" + dev.modeldepot.core.Printable.of(header)
                + "' (a guard against DNS rebinding; use one of those names in the URL)";
    }

    private boolean allowed(String host) {
        if (host.equals("localhost") || host.equals("localhost.")) {
            return true;
        }
        InetAddress literal = literal(host);
        if (literal == null) {
            return false;
        }
        return bound.isAnyLocalAddress() || literal.equals(bound) || (bound.isLoopbackAddress() && literal.isLoopbackAddress());
    }

    private String names() {
        return bound.isAnyLocalAddress() ? "this machine's IP addresses or localhost"
                : bound.isLoopbackAddress() ? bound.getHostAddress() + " (or another loopback address) or localhost"
                : bound.getHostAddress() + " or localhost";
    }

    /** "host", "host:port", "[v6]" or "[v6]:port" to the host alone. */
    static String hostOf(String header) {
        if (header.startsWith("[")) {
            int end = header.indexOf(']');
            return end < 0 ? header : header.substring(1, end);
        }
        int colon = header.indexOf(':');
        return colon >= 0 && colon == header.lastIndexOf(':') ? header.substring(0, colon) : header;
    }

    /** The address an IP literal names, or null for anything else (no DNS lookup ever). */
    private static InetAddress literal(String host) {
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !(host.contains(":") && IPV6.matcher(host).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
