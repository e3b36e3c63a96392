package dev.modeldepot.store;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DepotException;

/** Where commands get their {@link FileFetcher}: the one place to point at the download engine. */
public final class Fetchers {
    private Fetchers() {}

    /**
     * The fetcher for a command's options. The download engine is built on another branch; until
     * it is merged this throws, so a command that needs to download says so in one sentence.
     * At merge: {@code return new DownloadEngine(DownloadSettings.defaults(common.env))::download;}
     */
    public static FileFetcher forSettings(CommonOptions common) {
        if (common.offline) {
            throw DepotException.failed("--offline forbids downloading; run again without it");
        }
        throw DepotException.failed("downloads need the download engine, which is not in this build");
    }
}
