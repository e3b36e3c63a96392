package dev.modeldepot.download;

/** Receives download events; called from engine threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface DownloadListener {
    DownloadListener NONE = event -> { };

    void onEvent(DownloadEvent event);
}
