package dev.modeldepot.sources;

import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.download.HttpFetcher;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer tokens OCI registries handed out while their references were resolved, kept in memory
 * by registry origin, so the engine's blob requests to that registry carry them. The engine's
 * token-host rule does the rest (a token past half its lifetime is asked for again when a file starts): the token goes to that origin only, never through a redirect to
 * a storage CDN or to any other host, and is never written anywhere.
 */
public final class RegistryTokens {
    private final Map<String, OciRegistry> byOrigin = new ConcurrentHashMap<>();

    /** The registry that resolved a reference, if it holds a token (it renews the token when asked for it late). */
    void remember(URI registry, OciRegistry resolver) {
        if (resolver.bearerToken() != null) {
            byOrigin.put(HttpFetcher.origin(registry), resolver);
        }
    }

    /**
     * The settings for a download of {@code url}: when a registry at its origin gave us a token,
     * that token scoped to that origin (replacing a user token meant for the same host, which the
     * registry has exchanged for it); otherwise {@code base} unchanged.
     */
    public DownloadSettings settingsFor(DownloadSettings base, URI url) throws InterruptedException {
        String origin = HttpFetcher.origin(url);
        OciRegistry registry = byOrigin.get(origin);
        return registry == null ? base : base.toBuilder().token(registry.freshBearerToken(), origin).build();
    }
}
