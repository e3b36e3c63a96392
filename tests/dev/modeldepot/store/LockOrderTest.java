package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.testing.FaultOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One lock per blob, and no blocking wait while the store lock is held. */
class LockOrderTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    @Test
    void pruneDoesNotWaitForAVariantItCannotRebuildNow() throws Exception {
        ModelStore store = fx.store(); // 20 s bookkeeping wait
        store.install(fx.ref("alpha:q8"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
        Files.writeString(store.layout().metaFile("alpha", "q8"), "{\"schema\": 1, \"mod");
        try (var held = store.locks().acquire(StoreLocks.variant("alpha", "q8"), "the test's hold")) {
            long start = System.nanoTime();
            store.prune(null, null, true, fx.registry());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5000, "prune waited " + millis + " ms under the store lock");
        }
        assertTrue(store.warnings().stream().anyMatch(w -> w.contains("could not rebuild the metadata of alpha:q8 now")), store.warnings().toString());
    }

    @Test
    void aBlockingAcquireUnderTheStoreLockIsRefused() {
        ModelStore store = fx.store();
        try (var storeLock = store.locks().acquire(StoreLocks.store(), "the store lock")) {
            assertThrows(IllegalStateException.class, () -> store.locks().acquire(StoreLocks.variant("alpha", "q4"), "a variant"));
            assertTrue(store.locks().tryAcquire(StoreLocks.variant("alpha", "q4")).map(h -> {
                h.close();
                return true;
            }).orElse(false), "try-locks are fine");
        }
        store.locks().acquire(StoreLocks.variant("alpha", "q4"), "a variant").close();
    }

    @Test
    void aBlobFetchTakesOneLockNotTheStoresAndTheEnginesBoth() throws Exception {
        byte[] body = FaultOrigin.randomBytes(2 << 20, 7);
        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/m.gguf", body).bytesPerSecond(4 << 20);
            VariantRef ref = OneFile.ref(OneFile.registry(tmp, "one.json", origin.url("/m.gguf"), body));
            ModelStore store = ModelStore.open(tmp.resolve("s"), Clock.systemUTC(),
                    new StoreOptions(Linker.system(), new HfCache(tmp.resolve("no-hf")), Duration.ofSeconds(20), Duration.ofSeconds(60)));
            Path partialDir = store.layout().partialDir(ref, ref.variant().files().get(0));
            List<String> seen = new CopyOnWriteArrayList<>();
            DownloadListener look = e -> {
                if (e instanceof DownloadEvent.Progress) {
                    try (Stream<Path> s = Files.list(partialDir)) {
                        s.forEach(p -> seen.add(p.getFileName().toString()));
                    } catch (java.io.IOException ignored) {
                        // the folder goes away at the end
                    }
                }
            };
            store.install(ref, Fetchers.of(new DownloadEngine(DownloadSettings.defaults(Map.of()))), look, new Cancellation(), null);
            assertTrue(seen.stream().anyMatch(n -> n.endsWith(".part")), "looked during the download: " + seen);
            assertEquals(List.of(), seen.stream().filter(n -> n.endsWith(".lock")).distinct().toList(), "no second lock beside the partial");
        }
    }
}
