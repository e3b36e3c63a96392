package dev.modeldepot.sources;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The few HTTP requests a resolver makes (an API answer, a manifest, a small file), with redirects
 * followed by hand so a credential goes only to the origin it belongs to, and bodies read with a
 * cap so a hostile server cannot fill memory.
 */
final class SourceHttp {
    private static final int MAX_REDIRECTS = 10;

    /** A finished exchange: the last status, its headers, the body (capped) and where it ended. */
    record Answer(int status, java.net.http.HttpHeaders headers, byte[] body, URI uri) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    SourceHttp(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * Sends {@code method} to {@code start}; {@code authorization} (a full header value, or null)
     * goes only to {@code authOrigin}; {@code headers} go to every hop.
     */
    Answer send(String method, URI start, Map<String, String> headers, String authorization, URI authOrigin, long maxBody)
            throws InterruptedException {
        return send(method, start, headers, null, authorization, authOrigin, maxBody);
    }

    /** As above with a request body (uploads); redirects are then not followed: a registry answers uploads directly. */
    Answer send(String method, URI start, Map<String, String> headers, HttpRequest.BodyPublisher body, String authorization, URI authOrigin,
                long maxBody) throws InterruptedException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", Version.USER_AGENT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
            headers.forEach(b::header);
            if (authorization != null && sameOrigin(uri, authOrigin)) {
                b.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw DepotException.failed("cannot reach " + host(uri) + " (" + Redact.text(String.valueOf(e.getMessage())) + ")");
            }
            int status = response.statusCode();
            try (InputStream in = response.body()) {
                if (body == null && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
                    String location = response.headers().firstValue("Location").orElseThrow(() ->
                            DepotException.failed(host(start) + " answered a redirect without a Location"));
                    uri = uri.resolve(location.trim());
                    continue;
                }
                byte[] answer = "HEAD".equals(method) ? new byte[0] : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
                if (answer.length > maxBody) {
                    throw DepotException.failed(host(uri) + " sent more than " + maxBody + " bytes for " + Redact.url(uri));
                }
                return new Answer(status, response.headers(), answer, uri);
            } catch (IOException e) {
                throw DepotException.failed("the answer of " + host(uri) + " broke off (" + Redact.text(String.valueOf(e.getMessage())) + ")");
            }
        }
        throw DepotException.failed("more than " + MAX_REDIRECTS + " redirects starting at " + Redact.url(start));
    }

    static boolean sameOrigin(URI a, URI b) {
        return b != null && Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost())) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    static String host(URI u) {
        return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }
}
