package dev.modeldepot.tui;

import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import java.time.Instant;
import java.util.List;

/** Model rows and queue items of realistic shape for the headless tests. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final String SHA = "4bd1bc95c4db74f8140ee520e76d1f83e063d3fde9c3723eaa4a4776785a7aa6";

    private Fixtures() {}

    static ModelRow row(String id, String variant, ModelRow.State state, long onDisk, String error) {
        List<ModelRow.FileRow> files = List.of(
                new ModelRow.FileRow(id + "." + variant + ".gguf", "gguf", "weights", 4_368_439_552L, SHA, state == ModelRow.State.READY),
                new ModelRow.FileRow("mmproj-model-f16.gguf", "gguf", "mmproj", 624_451_168L, SHA.replace('4', '7'), state == ModelRow.State.READY));
        return new ModelRow(id, variant, 4_992_890_720L, state, state == ModelRow.State.READY ? NOW.minusSeconds(3600) : null,
                onDisk, files, state == ModelRow.State.READY ? List.of("llama-server") : List.of(), error);
    }

    static DashboardState.Data data(long budget) {
        return new DashboardState.Data("/srv/models", "local queue", 120_000_000_000L, budget, -1, List.of(
                row("llava-1.6-mistral-7b", "q4_k_m", ModelRow.State.READY, 4_992_890_720L, null),
                row("qwen2.5-coder-7b", "q4_k_m", ModelRow.State.DOWNLOADING, 1_000_000_000L, null),
                row("broken-model", "q8_0", ModelRow.State.CORRUPT, 700_000_000L,
                        "broken.gguf does not match its SHA-256 (expected 4bd1bc95c4db…, got 0a1b2c3d4e5f…)"),
                row("whisper-large-v3", "fp16", ModelRow.State.MISSING, 0, null)));
    }

    static ItemSnapshot downloading(String key, long done, long total, double speed, long eta, Instant started) {
        return new ItemSnapshot(key, ItemState.DOWNLOADING, 0, key + "/model.gguf", 0, 2, done, total, speed, eta,
                started.minusSeconds(5), started, null, null, 0);
    }

    static ItemSnapshot queued(String key, int priority) {
        return new ItemSnapshot(key, ItemState.QUEUED, priority, null, 0, 0, 0, 0, 0, -1, NOW, null, null, null, 0);
    }
}
