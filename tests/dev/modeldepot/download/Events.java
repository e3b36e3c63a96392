package dev.modeldepot.download;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects engine events for assertions. */
final class Events implements DownloadListener {
    final List<DownloadEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(DownloadEvent event) {
        all.add(event);
    }

    <T extends DownloadEvent> List<T> of(Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    String retryReasons() {
        return String.join(" | ", of(DownloadEvent.Retry.class).stream().map(DownloadEvent.Retry::reason).toList());
    }
}
