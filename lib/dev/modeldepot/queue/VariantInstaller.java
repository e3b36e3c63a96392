package dev.modeldepot.queue;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;

/**
 * What the queue runs for one entry: fetch and verify every file of "model:variant" into the
 * store. Backed by the store and the download engine; tests pass a fake.
 */
@FunctionalInterface
public interface VariantInstaller {
    void install(String key, DownloadListener listener, Cancellation cancellation) throws Exception;
}
