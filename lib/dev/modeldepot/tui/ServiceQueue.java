package dev.modeldepot.tui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Errors;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.service.ServiceClient;
import dev.modeldepot.queue.ItemSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The queue of a running {@code model-store serve} on the same store: actions go to its API, and
 * its snapshot is polled on a thread of its own. Every call may wait for the service (a 5 s
 * connect timeout, 20 s for an answer), so none runs on the screen thread: the poller polls, and
 * the dashboard's controller runs the actions on its actions worker. The header says "service not
 * answering since HH:MM:SS" when a call failed to reach it, or when one has waited longer than
 * {@link #ANSWER_WITHIN_MILLIS} (a service that accepts connections and never answers).
 */
public final class ServiceQueue implements QueueControl, AutoCloseable {
    static final long POLL_MILLIS = 250;
    /** A service on this machine answers in milliseconds; a call still waiting after this reads as silence. */
    static final long ANSWER_WITHIN_MILLIS = 2000;

    private final ServiceClient client;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-service-poll");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock;
    private volatile QueueSnapshot last;
    private volatile String problem;
    private volatile Instant silentSince;
    /** Calls waiting for the service, by when they started. */
    private final Map<Object, Instant> waiting = new ConcurrentHashMap<>();

    /** Returns at once: even the first poll runs on the poller thread, so a hung service never freezes the screen. */
    public ServiceQueue(ServiceClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.last = QueueSnapshot.empty(clock.instant());
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        Instant asked = clock.instant();
        try {
            last = call(client::snapshot);
            problem = null;
            silentSince = null;
        } catch (RuntimeException e) {
            // The header says since when the service stopped answering: since the call that got no answer.
            problem = Errors.messageOf(e);
            if (silentSince == null) {
                silentSince = asked;
            }
        }
    }

    /** Runs one call to the service, recording that it waits, so a call that hangs shows as silence while it hangs. */
    private <T> T call(Supplier<T> request) {
        Object token = new Object();
        waiting.put(token, clock.instant());
        try {
            return request.get();
        } finally {
            waiting.remove(token);
        }
    }

    @Override
    public boolean enqueue(String key, int priority) {
        JsonNode answer = call(() -> client.start(key, priority));
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
        call(() -> client.act(action, key));
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
        call(() -> client.priority(key, priority));
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

    /** Since when the service has not answered: a failed call, or the oldest call waiting too long; null while it answers. */
    Instant silentSince() {
        Instant since = silentSince;
        Instant tooLong = clock.instant().minusMillis(ANSWER_WITHIN_MILLIS);
        for (Instant started : waiting.values()) {
            if (started.isBefore(tooLong) && (since == null || started.isBefore(since))) {
                since = started;
            }
        }
        return since;
    }

    /** While the service does not answer, its last snapshot without live speed or ETA: nothing that looks like it still moves. */
    @Override
    public QueueSnapshot snapshot() {
        QueueSnapshot s = last;
        if (silentSince() == null) {
            return s;
        }
        return new QueueSnapshot(s.items().stream().map(i -> new ItemSnapshot(i.key(), i.state(), i.priority(),
                i.currentFile(), i.filesDone(), i.filesTotal(), i.bytesDone(), i.bytesTotal(), 0, -1, i.queuedAt(), i.startedAt(),
                i.finishedAt(), i.lastError(), i.errorCode())).toList(), s.takenAt());
    }

    @Override
    public String label() {
        String where = "via service on :" + client.endpoint().port();
        Instant since = silentSince();
        return since == null ? where : where + ": service not answering since "
                + DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(since);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
