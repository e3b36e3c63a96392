package dev.modeldepot.tui;

import dev.modeldepot.queue.QueueSnapshot;

/**
 * The part of the download queue the dashboard drives. Its methods are named and typed as the
 * shared DownloadQueue's, so wiring that queue is an adapter of method references.
 */
public interface QueueControl {
    boolean enqueue(String key, int priority);

    void cancel(String key);

    void pause(String key);

    void resume(String key);

    void setPriority(String key, int priority);

    void retry(String key);

    void clear(String key);

    QueueSnapshot snapshot();
}
