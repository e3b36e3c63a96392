package dev.modeldepot.store;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadSettings;

/** Where commands get their {@link FileFetcher}: the one place to point at the download engine. */
public final class Fetchers {
    private Fetchers() {}

    /** The download engine with the defaults of the environment (HF_TOKEN, timeouts, proxies, ...). */
    public static FileFetcher forSettings(CommonOptions common) {
        if (common.offline) {
            throw DepotException.failed("--offline forbids downloading; run again without it");
        }
        return of(new DownloadEngine(DownloadSettings.defaults(common.env)));
    }

    public static FileFetcher of(DownloadEngine engine) {
        return engine::download;
    }
}
