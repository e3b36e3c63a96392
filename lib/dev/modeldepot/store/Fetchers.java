package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.sources.RegistryTokens;
import java.util.Map;

/** Where commands get their {@link FileFetcher}: the one place to point at the download engine. */
public final class Fetchers {
    private Fetchers() {}

    /** The download engine with the defaults of the environment (HF_TOKEN, timeouts, proxies, ...). */
    public static FileFetcher forEnvironment(Map<String, String> env, boolean offline) {
        if (offline) {
            throw DepotException.failed("--offline forbids downloading; run again without it");
        }
        return of(new DownloadEngine(DownloadSettings.defaults(env)));
    }

    /** The store holds the blob's lock around every fetch, so the engine takes none of its own. */
    public static FileFetcher of(DownloadEngine engine) {
        return engine::downloadUnderCallersLock;
    }

    /** As above, with the bearer token an OCI registry gave while resolving for the files from that registry (to its origin only). */
    public static FileFetcher of(DownloadSettings settings, RegistryTokens tokens) {
        return (request, listener, cancel) -> new DownloadEngine(tokens.settingsFor(settings, request.url()))
                .downloadUnderCallersLock(request, listener, cancel);
    }
}
