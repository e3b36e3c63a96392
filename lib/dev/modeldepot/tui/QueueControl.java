package dev.modeldepot.tui;

import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.QueueSnapshot;

/**
 * The download queue as the dashboard drives it: the store's own {@link DownloadQueue} run in
 * this process, or the one a running {@code model-store serve} runs ({@link ServiceQueue}).
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

    /** Who runs the downloads, for the header. */
    String label();

    /** The dashboard's own queue over the store's queue file. */
    static QueueControl of(DownloadQueue q) {
        return of(q, null);
    }

    /** As {@link #of(DownloadQueue)}, saying where files come from first (an offline bundle), or null. */
    static QueueControl of(DownloadQueue q, String firstSource) {
        String local = firstSource == null ? "local queue" : "local queue, from " + firstSource + " first";
        return new QueueControl() {
            @Override
            public boolean enqueue(String key, int priority) {
                return q.enqueue(key, priority);
            }

            @Override
            public void cancel(String key) {
                q.cancel(key);
            }

            @Override
            public void pause(String key) {
                q.pause(key);
            }

            @Override
            public void resume(String key) {
                q.resume(key);
            }

            @Override
            public void setPriority(String key, int priority) {
                q.setPriority(key, priority);
            }

            @Override
            public void retry(String key) {
                q.retry(key);
            }

            @Override
            public void clear(String key) {
                q.clear(key);
            }

            @Override
            public QueueSnapshot snapshot() {
                return q.snapshot();
            }

            @Override
            public String label() {
                return q.saveError() == null ? local : local + " (not saved: " + q.saveError() + ")";
            }
        };
    }
}
