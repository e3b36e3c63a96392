package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Stamp;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.store.VariantStatus.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A store opened once and asked again and again, as the service and the dashboard do. */
class LongRunningStoreTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    @Test
    void aThousandListingsOverOneDamagedDocumentGiveOneWarning() throws Exception {
        ModelStore store = fx.store();
        Path stray = store.layout().metaFile("gone", "v1");
        Files.createDirectories(stray.getParent());
        Files.writeString(stray, "{\"schema\": 1, \"mod");
        var registry = fx.registry();
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, store.listing(registry).unreadable().size());
        }
        assertEquals(1, store.warnings().size(), store.warnings().toString());
        assertEquals(1, store.takeWarnings().size());
        assertEquals(0, store.warnings().size(), "taken warnings are gone: the next operation starts clean");
    }

    @Test
    void statusCallsReparseOnlyDocumentsThatChanged() throws Exception {
        ModelStore store = fx.store();
        store.install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
        store.install(fx.ref("alpha:q8"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
        store.status(fx.ref("alpha:q4"), false);
        long parses = store.metas().cache().parses();
        for (int i = 0; i < 200; i++) {
            assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state());
        }
        assertEquals(parses, store.metas().cache().parses(), "known stamps come from the cache while no document changes");

        // Another process records a corrupt verdict: the long-running store sees it at once.
        ModelStore other = fx.store();
        Path blob = other.layout().blob(fx.sha("mmproj.gguf"));
        Stamp corrupt = Stamp.of(blob, "0".repeat(64), Instant.now().plusSeconds(1));
        other.recordStamps(fx.ref("alpha:q8"), Map.of("mmproj.gguf", corrupt));
        assertEquals(State.CORRUPT, store.status(fx.ref("alpha:q4"), false).state(), "the changed document was read again");
        assertTrue(store.metas().cache().parses() <= parses + 2, "only the changed document was parsed again");
    }

    /** Issue 11, item 9: what the service's HTTP handlers and the dashboard ask never hashes. */
    @Test
    void statusFromStampsNeverHashes() throws Exception {
        ModelStore store = fx.store();
        store.install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
        Path blob = store.layout().blob(fx.sha("alpha-q4.gguf"));
        Files.setLastModifiedTime(blob, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
        Path doc = store.layout().metaFile("alpha", "q4");
        Object before = Files.readAttributes(doc, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        VariantStatus quick = store.statusFromStamps(fx.ref("alpha:q4"));
        assertEquals(State.UNVERIFIED, quick.state(), "changed since its stamp, and not hashed");
        assertTrue(quick.files().get(0).detail().contains("not hashed here"), quick.toString());
        assertEquals(before, Files.readAttributes(doc, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "and nothing was recorded");

        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state(), "a full status hashes it and finds it good");
        assertEquals(State.READY, store.statusFromStamps(fx.ref("alpha:q4")).state(), "and its new stamp serves the quick one");
    }
}
