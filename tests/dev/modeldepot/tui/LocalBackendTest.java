package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.DepotException;
import dev.modeldepot.demo.DemoCatalog;
import dev.modeldepot.demo.DemoOrigin;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's backend over the real demo origin, its queue runner and store: what the demo shows. */
class LocalBackendTest {
    @TempDir
    Path dir;
    DemoOrigin origin;
    LocalQueue queue;
    LocalBackend backend;
    LocalStore store;
    Registry registry;

    void start(long totalBytes, long rate) throws Exception {
        DemoCatalog catalog = DemoCatalog.create(totalBytes, 7);
        origin = new DemoOrigin(catalog, rate);
        registry = catalog.registry(origin.uri());
        Clock clock = Clock.systemUTC();
        store = new LocalStore(dir.resolve("store"), clock);
        queue = new LocalQueue(new LocalInstaller(registry, store, HttpClient.newHttpClient(), clock), 2, clock);
        backend = new LocalBackend(registry, store, queue, clock, 0);
    }

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close();
            backend.close();
            origin.close();
        }
    }

    ModelRow row(String key) {
        return backend.load().models().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
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
        backend.download("demo-llava:q4_k_m");
        backend.download("demo-broken:q8_0");
        assertThrows(DepotException.class, () -> backend.download("demo-llava:q4_k_m"), "duplicates are refused");
        await("both finished", () -> backend.queue().items().stream().allMatch(i -> i.state().isFinished()));

        ModelRow ready = row("demo-llava:q4_k_m");
        assertEquals(ModelRow.State.READY, ready.state());
        assertNotNull(ready.verifiedAt());
        assertEquals(ready.size(), ready.bytesOnDisk());
        assertTrue(ready.files().stream().allMatch(ModelRow.FileRow::present));
        assertEquals(java.util.List.of("model-dashboard"), ready.apps());

        ModelRow broken = row("demo-broken:q8_0");
        assertEquals(ModelRow.State.CORRUPT, broken.state());
        assertTrue(broken.lastError().contains("does not match its SHA-256"), broken.lastError());
        VariantRef ref = registry.resolve("demo-broken:q8_0");
        ModelFile f = ref.variant().files().get(0);
        assertFalse(Files.exists(store.finalPath(ref, f)), "nothing corrupt at the final path");
        assertTrue(Files.exists(store.quarantinePath(ref, f)));

        // Repair by retry: the origin still corrupts it, so it comes back corrupt, not as a crash.
        backend.download("demo-broken:q8_0");
        await("retry finished", () -> backend.queue().item("demo-broken:q8_0").orElseThrow().state() == ItemState.FAILED);
        assertEquals(ModelRow.State.CORRUPT, row("demo-broken:q8_0").state());
        // Repair by delete.
        backend.delete("demo-broken:q8_0");
        assertEquals(ModelRow.State.MISSING, row("demo-broken:q8_0").state());
        assertEquals(0, row("demo-broken:q8_0").bytesOnDisk());
        assertFalse(Files.exists(store.quarantinePath(ref, f)));
    }

    @Test
    void verifyCatchesAFileChangedOnDisk() throws Exception {
        start(2_000_000, 0);
        backend.download("demo-diffusion:fp16");
        await("download", () -> row("demo-diffusion:fp16").state() == ModelRow.State.READY);
        VariantRef ref = registry.resolve("demo-diffusion:fp16");
        Path vae = store.finalPath(ref, ref.variant().file("vae.safetensors").orElseThrow());
        byte[] bytes = Files.readAllBytes(vae);
        bytes[bytes.length - 1] ^= 1;
        Files.write(vae, bytes);
        backend.verify("demo-diffusion:fp16");
        await("verify", () -> row("demo-diffusion:fp16").state() != ModelRow.State.VERIFYING);
        ModelRow row = row("demo-diffusion:fp16");
        assertEquals(ModelRow.State.CORRUPT, row.state());
        assertTrue(row.lastError().startsWith("vae.safetensors does not match its SHA-256"), row.lastError());
    }

    @Test
    void pauseKeepsThePartialAndResumeFinishesFromIt() throws Exception {
        start(4_000_000, 1_000_000);
        String key = "demo-llava:q4_k_m";
        backend.download(key);
        await("bytes flowing", () -> backend.queue().item(key).orElseThrow().bytesDone() > 100_000);
        backend.pauseOrResume(key);
        assertEquals(ItemState.PAUSED, backend.queue().item(key).orElseThrow().state());
        assertEquals(ModelRow.State.PAUSED, row(key).state());
        VariantRef ref = registry.resolve(key);
        ModelFile weights = ref.variant().files().get(0);
        await("partial written", () -> LocalStore.sizeOf(store.partialPath(ref, weights)) > 0);
        assertFalse(Files.exists(store.finalPath(ref, weights)));
        backend.priority(key, 1);
        assertEquals(1, backend.queue().item(key).orElseThrow().priority());
        backend.pauseOrResume(key);
        await("resumed download completes", () -> row(key).state() == ModelRow.State.READY);
        assertFalse(Files.exists(store.partialPath(ref, weights)), "the partial became the verified file");
    }

    @Test
    void cancelStopsAndRefusesWhatIsNotRunning() throws Exception {
        start(4_000_000, 500_000);
        String key = "demo-sharded:fp16";
        assertThrows(DepotException.class, () -> backend.cancel(key));
        backend.download(key);
        backend.cancel(key);
        assertEquals(ItemState.CANCELLED, backend.queue().item(key).orElseThrow().state());
        assertThrows(DepotException.class, () -> backend.verify("demo-llava:q4_k_m"), "nothing to verify yet");
    }
}
