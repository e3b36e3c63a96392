package dev.modeldepot.service;

import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The one place that chooses what the service runs: the store's install (blobs, links, metadata,
 * cross-process locks, reuse of the Hugging Face cache) fetching through the download engine.
 */
public final class ServiceWiring {
    public record Parts(VariantInstaller installer, StoreView store) {}

    private ServiceWiring() {}

    /**
     * @param app     recorded as a user (pin) of what the service installs; null records none, so
     *                the downloads stay prunable
     * @param offline nothing is fetched: an install only links what is already on disk
     */
    public static Parts create(Path storeRoot, Registry registry, Map<String, String> env, Clock clock, String app, boolean offline) {
        StoreOptions options = StoreOptions.defaults(env);
        ModelStore store = ModelStore.open(storeRoot, clock, options).forRegistry(registry);
        FileFetcher fetcher = offline ? FileFetcher.NONE : Fetchers.of(new DownloadEngine(DownloadSettings.defaults(env)));
        VariantInstaller installer = (key, listener, cancel) -> store.install(registry.resolve(key), fetcher, listener, cancel, app);
        return new Parts(installer, new StoreStatusView(store, options.hfCache()));
    }

    public static DownloadQueue queue(Path storeRoot, VariantInstaller installer, int maxActive, Clock clock) {
        return new DownloadQueue(DownloadQueue.defaultStateFile(storeRoot), installer, maxActive, clock);
    }
}
