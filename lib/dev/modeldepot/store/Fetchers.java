package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadSettings;
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
}
