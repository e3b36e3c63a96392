package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.VariantStatus.FileStatus;
import dev.modeldepot.store.VariantStatus.State;
import dev.modeldepot.store.VariantStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the store's word and the queue's word combine into the one state a row shows. */
class RowsTest {
    static final String ENGINE_INTEGRITY = "the SHA-256 of m:v/m.gguf is 1f8d, expected ff3f again after a fresh download; "
            + "nothing was written to /store/blobs/sha256/ff3f";

    static final VariantRef REF = ref();

    static VariantRef ref() {
        ModelFile f = new ModelFile("m.gguf", URI.create("http://127.0.0.1:1/m.gguf"), List.of(), 1000, Fixtures.SHA, "gguf", "weights");
        Variant v = new Variant("v", true, null, null, List.of(f));
        Model m = new Model("m", "M", null, null, null, null, List.of(), List.of(v));
        return new VariantRef(m, v);
    }

    static VariantStatus status(State state, long present, String detail) {
        return new VariantStatus("m:v", "m", "v", state, 1000, present, 1000 - present,
                List.of(new FileStatus("m.gguf", state, 1000, present, detail)), state == State.READY ? Fixtures.NOW : null);
    }

    static Optional<ItemSnapshot> item(ItemState state, long done, String error) {
        return item(state, done, error, error == null ? 0 : 1);
    }

    static Optional<ItemSnapshot> item(ItemState state, long done, String error, int errorCode) {
        return Optional.of(new ItemSnapshot("m:v", state, 0, null, 0, 1, done, 1000, 0, -1, Fixtures.NOW, null, null, error, errorCode));
    }

    @Test
    void anIntegrityFailureOfTheQueueIsCorruptAnyOtherFailureIsFailed() {
        // The failure's exit code decides, not its wording.
        assertEquals(ModelRow.State.CORRUPT, Rows.state(status(State.MISSING, 0, null), item(ItemState.FAILED, 0, ENGINE_INTEGRITY, 3)));
        assertEquals(ModelRow.State.CORRUPT, Rows.state(status(State.MISSING, 0, null),
                item(ItemState.FAILED, 0, "cannot download m:v/m.gguf: the server has 10 bytes for m:v/m.gguf but 1000 were expected (checked twice)", 3)));
        assertEquals(ModelRow.State.FAILED, Rows.state(status(State.PARTIAL, 10, null),
                item(ItemState.FAILED, 10, "cannot download m:v/m.gguf: 127.0.0.1:1 answered 404 Not Found", 1)));
        assertEquals(ModelRow.State.FAILED, Rows.state(status(State.MISSING, 0, null), item(ItemState.FAILED, 0, "sha256 mismatch mentioned in a network error", 1)));
    }

    @Test
    void theStoreWinsOverAnOldFailureAndTheQueueWinsWhileItWorks() {
        assertEquals(ModelRow.State.READY, Rows.state(status(State.READY, 1000, null), item(ItemState.FAILED, 0, ENGINE_INTEGRITY, 3)),
                "it arrived another way since");
        assertEquals(ModelRow.State.DOWNLOADING, Rows.state(status(State.PARTIAL, 10, null), item(ItemState.DOWNLOADING, 10, null)));
        assertEquals(ModelRow.State.PAUSED, Rows.state(status(State.PARTIAL, 1000, null), item(ItemState.PAUSED, 10, null)));
        assertEquals(ModelRow.State.CORRUPT, Rows.state(status(State.CORRUPT, 0, "sha256 mismatch: found 00"), item(ItemState.COMPLETED, 1000, null)),
                "bad bytes on disk beat an old success");
        assertEquals(ModelRow.State.OUTDATED, Rows.state(status(State.OUTDATED, 0, null), Optional.empty()));
        assertEquals(ModelRow.State.READY, Rows.state(status(State.UNVERIFIED, 1000, null), Optional.empty()));
    }

    @Test
    void rowFiguresComeFromTheStoreExceptWhileTheQueueHoldsTheVariant() {
        ModelRow ready = Rows.row(REF, status(State.READY, 1000, null), List.of("llama-server"), Optional.empty(), false, null, f -> false);
        assertEquals(1000, ready.bytesOnDisk());
        assertEquals(Fixtures.NOW, ready.verifiedAt());
        assertTrue(ready.files().get(0).present());
        assertEquals(List.of("llama-server"), ready.apps());
        assertNull(ready.lastError());

        // A paused download: the store counts the preallocated partial at full size, the queue what arrived.
        ModelRow paused = Rows.row(REF, status(State.PARTIAL, 1000, null), List.of(), item(ItemState.PAUSED, 300, null), false, null, f -> true);
        assertEquals(300, paused.bytesOnDisk());
        assertFalse(paused.files().get(0).present());
        assertNull(paused.verifiedAt());

        ModelRow corrupt = Rows.row(REF, status(State.CORRUPT, 0, "sha256 mismatch: found 00"), List.of(), Optional.empty(), false, null, f -> false);
        assertEquals("m.gguf: sha256 mismatch: found 00", corrupt.lastError());
        ModelRow verifying = Rows.row(REF, status(State.READY, 1000, null), List.of(), Optional.empty(), true, "verify failed: gone", f -> false);
        assertEquals(ModelRow.State.VERIFYING, verifying.state());
        assertEquals("verify failed: gone", verifying.lastError());
    }
}
