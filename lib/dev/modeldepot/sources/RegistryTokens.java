package dev.modeldepot.sources;

import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.download.HttpFetcher;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer tokens OCI registries handed out while their references were resolved, kept in memory
 * by registry origin, so the engine's blob requests to that registry carry them. The engine's
 * token-host rule does the rest: the token goes to that origin only, never through a redirect to
 * a storage CDN or to any other host, and is never written anywhere.
 */
public final class RegistryTokens {
    private final Map<String, String> byOrigin = new ConcurrentHashMap<>();

    void remember(URI registry, String token) {
        if (token != null) {
            byOrigin.put(HttpFetcher.origin(registry), token);
        }
    }

    /**
     * The settings for a download of {@code url}: when a registry at its origin gave us a token,
     * that token scoped to that origin (replacing a user token meant for the same host, which the
     * registry has exchanged for it); otherwise {@code base} unchanged.
     */
    public DownloadSettings settingsFor(DownloadSettings base, URI url) {
        String origin = HttpFetcher.origin(url);
        String token = byOrigin.get(origin);
        return token == null ? base : base.toBuilder().token(token, origin).build();
    }
}
