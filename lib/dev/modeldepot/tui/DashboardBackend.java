package dev.modeldepot.tui;

import dev.modeldepot.queue.QueueSnapshot;

/**
 * What the dashboard needs from the rest of Model Depot. Called on the GUI thread, so every
 * method returns quickly: long work (downloads, verification, deletion) runs on the backend's own
 * threads and shows up in later {@link #load()} and {@link #queue()} results. Actions throw
 * DepotException with one sentence when they cannot be done.
 */
public interface DashboardBackend {
    /** The current model rows and store figures; cheap when nothing changed. */
    DashboardState.Data load();

    /** The latest queue snapshot. */
    QueueSnapshot queue();

    /** Re-reads the store from disk on the next {@link #load()}. */
    void refresh();

    /** Queues the variant; for a corrupt or failed one this is the "retry" repair. */
    void download(String key);

    /** Pauses a running or queued download (keeping the partial), or resumes a paused one. */
    void pauseOrResume(String key);

    void cancel(String key);

    /** Re-hashes the variant's files in the background. */
    void verify(String key);

    /** Cancels any download and removes the variant's files. */
    void delete(String key);

    /** Moves the variant up (positive) or down (negative) in the queue. */
    void priority(String key, int delta);
}
