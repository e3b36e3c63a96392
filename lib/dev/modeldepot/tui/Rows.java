package dev.modeldepot.tui;

import dev.modeldepot.core.ExitCode;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.VariantStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A model row from what the store says and what the queue says: pure, so every rule is testable. */
final class Rows {
    private Rows() {}

    /** True for a queue failure that means the bytes were wrong (shown as "corrupt"), not that they could not be fetched. */
    static boolean integrityFailure(ItemSnapshot item) {
        return item.errorCode() == ExitCode.INTEGRITY.code;
    }

    /**
     * @param arrived  for a running download: whether a file is in the store already (its status is not read then)
     * @param jobError the last verify or delete failure, or null
     */
    static ModelRow row(VariantRef ref, VariantStatus st, List<String> apps, Optional<ItemSnapshot> item, boolean verifying,
                        String jobError, Predicate<ModelFile> arrived) {
        ModelRow.State state = verifying ? ModelRow.State.VERIFYING : state(st, item);
        String error = jobError;
        if (error == null && (st.state() == VariantStatus.State.CORRUPT || st.state() == VariantStatus.State.DAMAGED_LINK)) {
            error = st.files().stream().filter(f -> f.state() == st.state())
                    .map(f -> f.path() + ": " + f.detail()).findFirst().orElse(null);
        }
        if (error == null && item.isPresent() && item.get().state() == ItemState.FAILED) {
            error = item.get().lastError();
        }
        Map<String, VariantStatus.State> fileStates = new HashMap<>();
        st.files().forEach(f -> fileStates.put(f.path(), f.state()));
        boolean running = item.isPresent() && item.get().state() == ItemState.DOWNLOADING;
        List<ModelRow.FileRow> files = new ArrayList<>();
        for (ModelFile f : ref.variant().files()) {
            VariantStatus.State fs = fileStates.get(f.path());
            boolean present = running ? arrived.test(f) : fs == VariantStatus.State.READY || fs == VariantStatus.State.UNVERIFIED;
            files.add(new ModelRow.FileRow(f.path(), f.effectiveFormat(), f.role(), f.size(), f.sha256(), present,
                    fs == VariantStatus.State.CORRUPT));
        }
        // The engine preallocates its partial files (sparse), so the store counts a partial at its
        // full size; while the queue holds the variant, its byte count is the truer figure.
        boolean held = item.isPresent() && !item.get().state().isFinished() && item.get().bytesDone() > 0;
        long onDisk = running || held ? Math.max(item.get().bytesDone(), 0) : st.present();
        return new ModelRow(ref.model().id(), ref.variant().id(), ref.totalSize(), state,
                state == ModelRow.State.READY ? st.verifiedAt() : null, onDisk, files, apps, error);
    }

    /**
     * Corrupt bytes in the store come first; then what the queue is doing; a failed entry counts
     * only while the store does not have the model (it may have arrived another way since).
     */
    static ModelRow.State state(VariantStatus st, Optional<ItemSnapshot> item) {
        if (st.state() == VariantStatus.State.CORRUPT) {
            return ModelRow.State.CORRUPT;
        }
        if (item.isPresent()) {
            switch (item.get().state()) {
                case QUEUED: return ModelRow.State.QUEUED;
                case DOWNLOADING: return ModelRow.State.DOWNLOADING;
                case PAUSED: return ModelRow.State.PAUSED;
                case FAILED:
                    if (!st.usable()) {
                        return integrityFailure(item.get()) ? ModelRow.State.CORRUPT : ModelRow.State.FAILED;
                    }
                    break;
                default: break;
            }
        }
        return switch (st.state()) {
            case READY, UNVERIFIED -> ModelRow.State.READY;
            case PARTIAL -> ModelRow.State.PARTIAL;
            case OUTDATED -> ModelRow.State.OUTDATED;
            case CORRUPT, DAMAGED_LINK -> ModelRow.State.CORRUPT;
            case MISSING -> ModelRow.State.MISSING;
        };
    }
}
