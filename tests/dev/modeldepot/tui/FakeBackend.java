package dev.modeldepot.tui;

import dev.modeldepot.queue.QueueSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A backend that records every call and serves whatever data and queue a test sets. */
class FakeBackend implements DashboardBackend {
    final List<String> calls = new ArrayList<>();
    DashboardState.Data data;
    QueueSnapshot queue = QueueSnapshot.empty(Instant.EPOCH);
    int loads;

    FakeBackend(DashboardState.Data data) {
        this.data = data;
    }

    @Override
    public DashboardState.Data load() {
        loads++;
        return data;
    }

    @Override
    public QueueSnapshot queue() {
        return queue;
    }

    @Override
    public void refresh() {
        calls.add("refresh");
    }

    @Override
    public void download(String key) {
        calls.add("download " + key);
    }

    @Override
    public void pauseOrResume(String key) {
        calls.add("pauseOrResume " + key);
    }

    @Override
    public void cancel(String key) {
        calls.add("cancel " + key);
    }

    @Override
    public void verify(String key) {
        calls.add("verify " + key);
    }

    @Override
    public void delete(String key) {
        calls.add("delete " + key);
    }

    @Override
    public void priority(String key, int delta) {
        calls.add("priority " + key + " " + delta);
    }
}
