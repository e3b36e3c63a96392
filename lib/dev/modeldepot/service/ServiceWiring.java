package dev.modeldepot.service;

import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.Registry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The one place that chooses what the service runs. For now a plain sequential installer of this
 * package; when the store and the download engine are merged, this is the only class to change:
 * {@code (key, listener, cancel) -> store.install(registry.resolve(key), engine, listener, cancel, "model-store serve")}.
 */
public final class ServiceWiring {
    public record Parts(VariantInstaller installer, StoreView store) {}

    private ServiceWiring() {}

    public static Parts create(Path storeRoot, Registry registry, Map<String, String> env) {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
        return new Parts(new SimpleHttpInstaller(registry, storeRoot, http),
                new FolderStoreView(storeRoot, FolderStoreView.hfCacheRoot(env)));
    }

    public static DownloadQueue queue(Path storeRoot, VariantInstaller installer, int maxActive, Clock clock) {
        return new DownloadQueue(DownloadQueue.defaultStateFile(storeRoot), installer, maxActive, clock);
    }
}
