package dev.modeldepot.tui;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dashboard's queue runs: {@link ModelStore#install} through the download engine, for the
 * app "model-dashboard". The store says nothing about files it already holds, so every file is
 * announced first and reported done at the end: the queue's "files 2/4" then counts them all.
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
        VariantRef ref = registry.resolve(key);
        for (ModelFile f : ref.variant().files()) {
            listener.onEvent(new DownloadEvent.Queued(label(ref, f), f.size()));
        }
        Set<String> completed = ConcurrentHashMap.newKeySet();
        DownloadListener counting = event -> {
            if (event instanceof DownloadEvent.Completed c) {
                completed.add(c.label());
            }
            listener.onEvent(event);
        };
        store.install(ref, fetcher, counting, cancellation, StoreBackend.APP);
        for (ModelFile f : ref.variant().files()) {
            if (!completed.contains(label(ref, f))) {
                listener.onEvent(new DownloadEvent.Completed(label(ref, f), store.layout().readablePath(ref, f), f.size()));
            }
        }
    }

    /** The store's label for a file, so these events and the engine's land on the same file. */
    private static String label(VariantRef ref, ModelFile f) {
        return ref.key() + "/" + f.path();
    }
}
