package dev.modeldepot.tui;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;

/**
 * What the dashboard's queue runs: {@link ModelStore#install} through the download engine, for the
 * app "model-dashboard". The store announces every file and reports the ones it already holds, so
 * the queue's "files 2/4" counts them all.
 */
public final class StoreInstaller implements VariantInstaller {
    private final Registry registry;
    private final ModelStore store;
    private final FileFetcher fetcher;

    public StoreInstaller(Registry registry, ModelStore store, FileFetcher fetcher) {
        this.registry = registry;
        this.store = store;
        this.fetcher = fetcher;
    }

    @Override
    public void install(String key, DownloadListener listener, Cancellation cancellation) throws Exception {
        store.install(registry.resolve(key), fetcher, listener, cancellation, StoreBackend.APP);
    }
}
