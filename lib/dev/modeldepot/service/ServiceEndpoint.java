package dev.modeldepot.service;

import java.net.URI;
import java.time.Instant;

/**
 * What the discovery file says about a running service. No token: clients read it from
 * {@code tokenFile} when they need to change state.
 *
 * @param url       base URL to call, always a loopback address the local machine can reach
 * @param bind      the address the service listens on
 * @param tokenFile where the bearer token is (readable by the owner only)
 */
public record ServiceEndpoint(URI url, int port, String bind, long pid, Instant startedAt, String version, String tokenFile) {
    public URI resolve(String path) {
        return url.resolve(path);
    }
}
