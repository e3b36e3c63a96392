package dev.modeldepot.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The whole queue at one instant: items in priority order plus the summary the API reports. */
public record QueueSnapshot(List<ItemSnapshot> items, Instant takenAt) {
    public QueueSnapshot {
        items = List.copyOf(items);
    }

    public static QueueSnapshot empty(Instant now) {
        return new QueueSnapshot(List.of(), now);
    }

    /** Entries not yet finished. */
    public int size() {
        return (int) items.stream().filter(i -> !i.state().isFinished()).count();
    }

    public int running() {
        return (int) items.stream().filter(i -> i.state() == ItemState.DOWNLOADING).count();
    }

    /** Keys currently downloading. */
    public List<String> current() {
        return items.stream().filter(i -> i.state() == ItemState.DOWNLOADING).map(ItemSnapshot::key).toList();
    }

    public Optional<ItemSnapshot> item(String key) {
        return items.stream().filter(i -> i.key().equals(key)).findFirst();
    }
}
