package dev.modeldepot.tui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Errors;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.service.ServiceClient;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The queue of a running {@code model-store serve} on the same store: actions go to its API, and
 * its snapshot is polled on a thread of its own, so a slow or vanished service never blocks the
 * screen (the header says when it stops answering).
 */
public final class ServiceQueue implements QueueControl, AutoCloseable {
    static final long POLL_MILLIS = 250;

    private final ServiceClient client;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-service-poll");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock;
    private volatile QueueSnapshot last;
    private volatile String problem;
    private volatile java.time.Instant silentSince;

    /** Returns at once: even the first poll runs on the poller thread, so a hung service never freezes the screen. */
    public ServiceQueue(ServiceClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.last = QueueSnapshot.empty(clock.instant());
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            last = client.snapshot();
            problem = null;
            silentSince = null;
        } catch (RuntimeException e) {
            // The header says since when the service stopped answering.
            problem = Errors.messageOf(e);
            if (silentSince == null) {
                silentSince = clock.instant();
            }
        }
    }

    @Override
    public boolean enqueue(String key, int priority) {
        JsonNode answer = client.start(key, priority);
        poll();
        if (answer.path("queued").asBoolean()) {
            return true;
        }
        String message = answer.path("message").asText("not queued");
        if (message.equals("already in the queue")) {
            return false;
        }
        throw DepotException.badInput("the service did not queue " + key + ": " + message);
    }

    private void act(String action, String key) {
        client.act(action, key);
        poll();
    }

    @Override
    public void cancel(String key) {
        act("cancel", key);
    }

    @Override
    public void pause(String key) {
        act("pause", key);
    }

    @Override
    public void resume(String key) {
        act("resume", key);
    }

    @Override
    public void setPriority(String key, int priority) {
        client.priority(key, priority);
        poll();
    }

    @Override
    public void retry(String key) {
        act("retry", key);
    }

    @Override
    public void clear(String key) {
        act("clear", key);
    }

    /** While the service does not answer, its last snapshot without live speed or ETA: nothing that looks like it still moves. */
    @Override
    public QueueSnapshot snapshot() {
        QueueSnapshot s = last;
        if (silentSince == null) {
            return s;
        }
        return new QueueSnapshot(s.items().stream().map(i -> new dev.modeldepot.queue.ItemSnapshot(i.key(), i.state(), i.priority(),
                i.currentFile(), i.filesDone(), i.filesTotal(), i.bytesDone(), i.bytesTotal(), 0, -1, i.queuedAt(), i.startedAt(),
                i.finishedAt(), i.lastError(), i.errorCode())).toList(), s.takenAt());
    }

    @Override
    public String label() {
        String where = "via service on :" + client.endpoint().port();
        java.time.Instant since = silentSince;
        return since == null ? where : where + ": service not answering since "
                + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault()).format(since);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
