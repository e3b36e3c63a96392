package dev.modeldepot.service;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the service runs: the API's installer ({@link ModelDepot#installer()}: the store's install
 * through the download engine, as every app and the dashboard get it) and a view of the store.
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
        ModelDepot depot = ModelDepot.builder().registry(registry).cacheDir(storeRoot).app(app).env(env).clock(clock)
                .storeOptions(options).offline(offline).build();
        return new Parts(depot.installer(), new StoreStatusView(depot.store(), options.hfCache()));
    }

    public static DownloadQueue queue(Path storeRoot, VariantInstaller installer, int maxActive, Clock clock) {
        return new DownloadQueue(DownloadQueue.defaultStateFile(storeRoot), installer, maxActive, clock);
    }
}
