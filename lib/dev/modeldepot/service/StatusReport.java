package dev.modeldepot.service;

import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies of the status endpoints, built from queue snapshots and the store view. */
final class StatusReport {
    private final Registry registry;
    private final StoreView store;

    StatusReport(Registry registry, StoreView store) {
        this.registry = registry;
        this.store = store;
    }

    /**
     * The seeds' five statuses: completed, downloading, queued, not_started, failed. A paused
     * entry is "queued" (it waits for resume) and "state" gives the queue's exact word.
     */
    static String status(ItemState state, boolean inStore) {
        if (state == null) {
            return inStore ? "completed" : "not_started";
        }
        return switch (state) {
            case DOWNLOADING -> "downloading";
            case QUEUED, PAUSED -> "queued";
            case FAILED -> "failed";
            // A completed download whose files were deleted since is not there any more.
            case COMPLETED -> inStore ? "completed" : "not_started";
            case CANCELLED -> inStore ? "completed" : "not_started";
        };
    }

    Map<String, Object> variant(VariantRef ref, QueueSnapshot queue) {
        Optional<ItemSnapshot> item = queue.item(ref.key());
        boolean inStore = store.inStore(ref);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", ref.key());
        m.put("status", status(item.map(ItemSnapshot::state).orElse(null), inStore));
        m.put("state", item.map(i -> i.state().name().toLowerCase(java.util.Locale.ROOT)).orElse(null));
        int files = ref.variant().files().size();
        long total = ref.totalSize();
        if (item.isPresent() && (!inStore || item.get().state() != ItemState.COMPLETED)) {
            ItemSnapshot i = item.get();
            long itemTotal = i.bytesTotal() > 0 ? i.bytesTotal() : total;
            m.put("files_done", i.filesDone());
            m.put("files_total", i.filesTotal() > 0 ? i.filesTotal() : files);
            m.put("current_file", i.currentFile());
            m.put("bytes_downloaded", i.bytesDone());
            m.put("total_bytes", itemTotal);
            m.put("speed_bytes_per_second", Math.round(i.bytesPerSecond()));
            m.put("percent", round(itemTotal <= 0 ? 0 : 100.0 * i.bytesDone() / itemTotal));
            m.put("eta_seconds", i.etaSeconds());
        } else {
            m.put("files_done", inStore ? files : 0);
            m.put("files_total", files);
            m.put("current_file", null);
            m.put("bytes_downloaded", inStore ? total : 0);
            m.put("total_bytes", total);
            m.put("speed_bytes_per_second", 0);
            m.put("percent", inStore ? 100.0 : 0.0);
            m.put("eta_seconds", -1);
        }
        m.put("priority", item.map(ItemSnapshot::priority).orElse(null));
        m.put("queued_at", item.map(ItemSnapshot::queuedAt).orElse(null));
        m.put("started_at", item.map(ItemSnapshot::startedAt).orElse(null));
        m.put("finished_at", item.map(ItemSnapshot::finishedAt).orElse(null));
        m.put("last_error", item.map(ItemSnapshot::lastError).orElse(null));
        m.put("last_error_code", item.map(ItemSnapshot::errorCode).filter(c -> c != 0).orElse(null));
        m.put("in_store", inStore);
        m.put("store_state", store.storeState(ref));
        m.put("in_hf_cache", store.inHfCache(ref));
        return m;
    }

    Map<String, Object> queue(QueueSnapshot queue, int maxActive, boolean enabled) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", queue.size());
        m.put("running", queue.running());
        m.put("currently_downloading", queue.current());
        m.put("max_active", maxActive);
        m.put("downloads_enabled", enabled);
        m.put("items", queue.items().stream().map(i -> itemOrKey(i, queue)).toList());
        return m;
    }

    /** A queue entry whose model left the registry is still shown, by its key and state. */
    private Object itemOrKey(ItemSnapshot i, QueueSnapshot queue) {
        String[] parts = i.key().split(":", 2);
        Optional<Model> model = registry.model(parts[0]);
        Optional<Variant> variant = model.flatMap(mo -> parts.length < 2 ? Optional.empty() : mo.variant(parts[1]));
        if (variant.isPresent()) {
            return variant(new VariantRef(model.get(), variant.get()), queue);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", i.key());
        m.put("status", status(i.state(), false));
        m.put("state", i.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("last_error", i.lastError());
        return m;
    }

    Map<String, Object> models(QueueSnapshot queue) {
        List<Object> models = registry.models().stream().map(model -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", model.id());
            m.put("name", model.name());
            m.put("default_variant", model.defaultVariant().id());
            m.put("variants", model.variants().stream().map(v -> variant(new VariantRef(model, v), queue)).toList());
            return (Object) m;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", models);
        return body;
    }

    private static double round(double percent) {
        return Math.round(percent * 10) / 10.0;
    }
}
