package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.demo.DemoCatalog;
import dev.modeldepot.demo.DemoOrigin;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's backend over the real pieces: the demo origin (with its corrupt file), the
 * download engine, the store and the store's persistent queue. This is what the demo shows.
 */
class StoreBackendTest {
    @TempDir
    Path dir;
    DemoOrigin origin;
    DownloadQueue queue;
    StoreBackend backend;
    ModelStore store;
    Registry registry;
    Clock clock = Clock.systemUTC();

    void start(long totalBytes, long rate) throws Exception {
        DemoCatalog catalog = DemoCatalog.create(totalBytes, 7);
        origin = new DemoOrigin(catalog, rate);
        registry = catalog.registry(origin.uri());
        store = ModelStore.open(dir.resolve("store"), clock).forRegistry(registry);
        queue = startQueue();
        backend = new StoreBackend(registry, store, QueueControl.of(queue), clock, 0, false);
    }

    /** As DashboardCommand wires it: the engine behind the store's install, the queue file in the store. */
    DownloadQueue startQueue() {
        DownloadQueue q = ModelDepot.builder().registry(registry).cacheDir(store.layout().root()).app(StoreBackend.APP)
                .env(Map.of()).clock(clock).build().queue(2);
        q.start();
        return q;
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    ModelRow row(String key) {
        return backend.load().models().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    /** Waits until the row (read again on each poll: the store is scanned off the caller's thread) is in that state. */
    ModelRow awaitRow(String key, ModelRow.State state) throws InterruptedException {
        await(key + " " + state, () -> row(key).state() == state);
        return row(key);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void downloadsVerifyAndTheCorruptFileIsCaughtAndRepairable() throws Exception {
        start(3_000_000, 0);
        assertEquals("local queue", backend.load().backend());
        backend.download("demo-llava:q4_k_m");
        backend.download("demo-broken:q8_0");
        assertThrows(DepotException.class, () -> backend.download("demo-llava:q4_k_m"), "duplicates are refused");
        await("both finished", () -> backend.queue().items().stream().allMatch(i -> i.state().isFinished()));

        ModelRow ready = awaitRow("demo-llava:q4_k_m", ModelRow.State.READY);
        assertEquals(2, backend.queue().item("demo-llava:q4_k_m").orElseThrow().filesDone());
        assertNotNull(ready.verifiedAt(), "the store stamped its files when they arrived");
        assertEquals(ready.size(), ready.bytesOnDisk());
        assertTrue(ready.files().stream().allMatch(ModelRow.FileRow::present));
        assertEquals(List.of(StoreBackend.APP), ready.apps());
        assertTrue(Files.isRegularFile(store.path(registry.resolve("demo-llava:q4_k_m")).orElseThrow().resolve("mmproj-model-f16.gguf")));
        assertTrue(backend.load().totalOnDisk() >= ready.size(), "usage comes from the store");

        // The engine fetched the broken file twice, refused it, and the queue kept its integrity sentence.
        ModelRow broken = awaitRow("demo-broken:q8_0", ModelRow.State.CORRUPT);
        ItemSnapshot failed = backend.queue().item("demo-broken:q8_0").orElseThrow();
        assertEquals(ItemState.FAILED, failed.state());
        assertEquals(3, failed.errorCode(), "the queue keeps the integrity exit code");
        assertTrue(broken.lastError().contains("SHA-256") && Rows.integrityFailure(failed), broken.lastError());
        VariantRef ref = registry.resolve("demo-broken:q8_0");
        ModelFile f = ref.variant().files().get(0);
        assertFalse(Files.exists(store.layout().readablePath(ref, f)), "nothing corrupt where apps read");
        assertFalse(Files.exists(store.layout().blobFor(ref, f)), "nothing corrupt in the store");

        // Repair by retry: the origin still corrupts it, so it comes back corrupt, not as a crash.
        backend.download("demo-broken:q8_0");
        await("retry finished", () -> backend.queue().item("demo-broken:q8_0").orElseThrow().state() == ItemState.FAILED);
        awaitRow("demo-broken:q8_0", ModelRow.State.CORRUPT);
        // Repair by delete: the queue entry and the store's record go.
        backend.delete("demo-broken:q8_0");
        backend.awaitJobs();
        ModelRow gone = awaitRow("demo-broken:q8_0", ModelRow.State.MISSING);
        assertEquals(0, gone.bytesOnDisk());
        assertTrue(backend.queue().item("demo-broken:q8_0").isEmpty());
        assertTrue(store.meta("demo-broken", "q8_0").isEmpty());
    }

    @Test
    void verifyCatchesAFileChangedOnDisk() throws Exception {
        start(2_000_000, 0);
        backend.download("demo-diffusion:fp16");
        awaitRow("demo-diffusion:fp16", ModelRow.State.READY);
        VariantRef ref = registry.resolve("demo-diffusion:fp16");
        Path vae = store.layout().blobFor(ref, ref.variant().file("vae.safetensors").orElseThrow());
        vae.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(vae);
        bytes[bytes.length - 1] ^= 1;
        Files.write(vae, bytes);
        backend.verify("demo-diffusion:fp16");
        backend.awaitJobs();
        ModelRow row = awaitRow("demo-diffusion:fp16", ModelRow.State.CORRUPT);
        assertTrue(row.lastError().startsWith("vae.safetensors: sha256 mismatch"), row.lastError());
        assertThrows(DepotException.class, () -> backend.verify("demo-llava:q4_k_m"), "nothing to verify yet");
    }

    @Test
    void pauseKeepsThePartialAndResumeFinishesFromIt() throws Exception {
        start(4_000_000, 500_000);
        String key = "demo-llava:q4_k_m";
        backend.download(key);
        await("bytes flowing", () -> backend.queue().item(key).orElseThrow().bytesDone() > 100_000);
        backend.pauseOrResume(key);
        assertEquals(ItemState.PAUSED, backend.queue().item(key).orElseThrow().state());
        awaitRow(key, ModelRow.State.PAUSED);
        VariantRef ref = registry.resolve(key);
        ModelFile weights = ref.variant().files().get(0);
        assertFalse(Files.exists(store.layout().blobFor(ref, weights)));
        await("the partial is kept", () -> store.status(ref, false).present() > 0);
        backend.priority(key, 1);
        assertEquals(1, backend.queue().item(key).orElseThrow().priority());
        backend.pauseOrResume(key);
        awaitRow(key, ModelRow.State.READY);
        assertEquals(0, store.partialBytes(), "the partials became verified files");
    }

    @Test
    void cancelStopsAndRefusesWhatIsNotRunning() throws Exception {
        start(4_000_000, 500_000);
        String key = "demo-sharded:fp16";
        assertThrows(DepotException.class, () -> backend.cancel(key));
        backend.download(key);
        backend.cancel(key);
        assertEquals(ItemState.CANCELLED, backend.queue().item(key).orElseThrow().state());
        awaitRow(key, ModelRow.State.MISSING);
        assertThrows(DepotException.class, () -> backend.priority(key, 1), "a cancelled entry has no priority to change");
    }

    @Test
    void aRestartedDashboardFindsItsQueueInTheStoreAndResumes() throws Exception {
        start(4_000_000, 400_000);
        String key = "demo-diffusion:fp16";
        backend.download(key);
        await("bytes flowing", () -> backend.queue().item(key).orElseThrow().bytesDone() > 50_000);
        backend.close();
        queue.close();
        assertTrue(Files.isRegularFile(DownloadQueue.defaultStateFile(store.layout().root())), "the queue lives in the store");

        queue = startQueue();
        backend = new StoreBackend(registry, store, QueueControl.of(queue), clock, 0, false);
        assertTrue(backend.queue().item(key).isPresent(), "the entry came back from the store's queue file");
        awaitRow(key, ModelRow.State.READY);
        var item = backend.queue().item(key).orElseThrow();
        assertEquals(ItemState.COMPLETED, item.state());
        assertEquals(2, item.filesTotal(), "files the store already held count too");
        assertEquals(2, item.filesDone());
    }

    @Test
    void offlineRefusesDownloadsButShowsTheStore() throws Exception {
        start(1_000_000, 0);
        backend.close();
        backend = new StoreBackend(registry, store, QueueControl.of(queue), clock, 0, true);
        DepotException e = assertThrows(DepotException.class, () -> backend.download("demo-llava:q4_k_m"));
        assertTrue(e.getMessage().contains("--offline"), e.getMessage());
        assertTrue(backend.queue().items().isEmpty());
        assertEquals(4, backend.load().models().size());
    }
}
