package dev.modeldepot.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.store.VariantStatus.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embeddable API against a real loopback origin and a real store on disk. */
class ApiTest {
    @TempDir
    Path tmp;

    private ModelDepotBuilder depot(AppRegistry reg, Path cacheDir) {
        // No Hugging Face cache to adopt from: every byte must come from the origin.
        return ModelDepot.builder().registry(reg.file).cacheDir(cacheDir).app("photo-app")
                .env(Map.of("HF_HUB_CACHE", tmp.resolve("no-hf").toString()));
    }

    @Test
    void statusOfMissingThenEnsureThenReady() throws Exception {
        try (AppRegistry reg = new AppRegistry(tmp, 300_000); ModelDepot depot = depot(reg, tmp.resolve("shared")).build()) {
            ModelStatus before = depot.status(AppRegistry.MODEL);
            assertEquals(State.MISSING, before.state());
            assertFalse(before.ready());
            assertEquals(reg.totalSize(), before.toDownload());
            assertEquals(List.of(State.MISSING, State.MISSING), before.files().stream().map(f -> f.state()).toList());
            assertEquals(StoreChoice.Kind.SHARED, before.store().kind());

            List<DownloadEvent> events = new CopyOnWriteArrayList<>();
            ReadyModel ready = depot.ensure(AppRegistry.MODEL, events::add);
            assertEquals("photo-tagger:onnx", ready.key());
            assertArrayEquals(reg.onnx, Files.readAllBytes(ready.firstOfFormat("onnx").orElseThrow().file()));
            assertArrayEquals(reg.tags, Files.readAllBytes(ready.dir().resolve("selected_tags.csv")));
            assertEquals(2, events.stream().filter(e -> e instanceof DownloadEvent.Completed).count());

            ModelStatus after = depot.status(AppRegistry.MODEL);
            assertEquals(State.READY, after.state());
            assertEquals(0, after.toDownload());
            Verification v = depot.verify(AppRegistry.MODEL, true);
            assertTrue(v.ok(), v.toString());
            assertTrue(v.files().get(0).structure().checked(), "the ONNX file's structure was walked");

            assertEquals(List.of("photo-app"), depot.list().get(0).apps());
            assertEquals(List.of(), depot.unpin(AppRegistry.MODEL).apps());
            assertEquals(List.of("photo-app"), depot.pin(AppRegistry.MODEL).apps());
            // A second ensure downloads nothing.
            int requests = reg.origin.requests("/tagger/model.onnx");
            depot.ensure(AppRegistry.MODEL, null);
            assertEquals(requests, reg.origin.requests("/tagger/model.onnx"));
        }
    }

    @Test
    void ensureAsyncCancelLeavesNoFileAtTheFinalPathAndResumesLater() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (AppRegistry reg = new AppRegistry(tmp, 4_000_000); ModelDepot depot = depot(reg, tmp.resolve("shared")).executor(pool).build()) {
            reg.onnxResource.bytesPerSecond(400_000);
            AtomicLong seen = new AtomicLong();
            CompletableFuture<ReadyModel> future = depot.ensureAsync(AppRegistry.MODEL, e -> {
                if (e instanceof DownloadEvent.Progress p) {
                    seen.set(p.bytes());
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(seen.get() > 0, "the download started");
            assertTrue(future.cancel(true));
            assertThrows(CancellationException.class, future::join);
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the install stopped after the cancel");

            Path finalPath = tmp.resolve("shared/models/photo-tagger/onnx/model.onnx");
            assertFalse(Files.exists(finalPath), "nothing at the final path");
            assertTrue(Files.notExists(depot.store().layout().blobFor(depot.resolve(AppRegistry.MODEL),
                    depot.resolve(AppRegistry.MODEL).variant().files().get(0))), "no blob either");
            ModelStatus status = depot.status(AppRegistry.MODEL);
            assertFalse(status.ready());

            reg.onnxResource.bytesPerSecond(0);
            ReadyModel ready = depot.ensure(AppRegistry.MODEL, null);
            assertArrayEquals(reg.onnx, Files.readAllBytes(ready.file("model.onnx").orElseThrow().file()));
            assertTrue(reg.origin.bytesSent("/tagger/model.onnx") < reg.onnx.length * 2L, "the partial was resumed, not thrown away");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void preferSharedFallsBackToTheAppDirWhenTheSharedStoreIsNotWritable() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (StoreChoice.problemWith(shared) == null) {
            // Running as root: permission bits do not stop root. /proc/self is a real folder no one can add a file to.
            shared = Path.of("/proc/self");
        }
        Path appDir = tmp.resolve("app-models");
        try (AppRegistry reg = new AppRegistry(tmp, 50_000);
             ModelDepot depot = depot(reg, shared).preferShared(true).fallbackCacheDir(appDir).build()) {
            assertEquals(StoreChoice.Kind.APP_LOCAL, depot.storeChoice().kind());
            assertTrue(depot.storeChoice().reason().contains("not writable"), depot.storeChoice().reason());
            assertEquals(StoreChoice.Kind.APP_LOCAL, depot.status(AppRegistry.MODEL).store().kind());
            ReadyModel ready = depot.ensure(AppRegistry.MODEL, null);
            assertTrue(ready.dir().startsWith(appDir), ready.dir().toString());
            assertEquals(StoreChoice.Kind.APP_LOCAL, ready.store().kind());
        } finally {
            Files.setPosixFilePermissions(tmp.resolve("shared"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void preferSharedUsesTheSharedStoreWhenItIsThereAndTheAppDirWhenItIsNot() throws Exception {
        Path appDir = tmp.resolve("app-models");
        try (AppRegistry reg = new AppRegistry(tmp, 1_000)) {
            try (ModelDepot absent = depot(reg, tmp.resolve("no-shared-store")).fallbackCacheDir(appDir).build()) {
                assertEquals(StoreChoice.Kind.APP_LOCAL, absent.storeChoice().kind());
                assertEquals(appDir, absent.storeChoice().root());
            }
            Path shared = Files.createDirectories(tmp.resolve("shared"));
            try (ModelDepot present = depot(reg, shared).fallbackCacheDir(appDir).build()) {
                assertEquals(StoreChoice.Kind.SHARED, present.storeChoice().kind());
                assertEquals(shared, present.storeChoice().root());
            }
            try (ModelDepot local = depot(reg, shared).preferShared(false).fallbackCacheDir(appDir).build()) {
                assertEquals(StoreChoice.Kind.APP_LOCAL, local.storeChoice().kind());
            }
        }
    }

    @Test
    void failuresAreDepotExceptionsWithTheirExitCode() throws Exception {
        try (AppRegistry reg = new AppRegistry(tmp, 1_000);
             ModelDepot offline = depot(reg, tmp.resolve("shared")).offline(true).build()) {
            DepotException unknown = assertThrows(DepotException.class, () -> offline.status("no-such-model"));
            assertInstanceOf(DepotException.BadInput.class, unknown);
            assertEquals(ExitCode.BAD_INPUT, unknown.exitCode());
            DepotException notHere = assertThrows(DepotException.class, () -> offline.ensure(AppRegistry.MODEL, null));
            assertEquals(ExitCode.FAILED, notHere.exitCode());
            assertEquals(0, reg.origin.requests("/tagger/model.onnx"), "offline never asks the origin");
            assertThrows(DepotException.BadInput.class, () -> ModelDepot.builder().app("no spaces allowed"));
        }
    }

    @Test
    void anUnpluggedBundleFailsOnlyTheInstallThatNeedsIt() throws Exception {
        Path unplugged = tmp.resolve("usb/models.tar");
        try (AppRegistry reg = new AppRegistry(tmp, 100_000); ModelDepot depot = depot(reg, tmp.resolve("shared")).bundle(unplugged).build()) {
            assertEquals(State.MISSING, depot.status(AppRegistry.MODEL).state(), "status never needs the bundle");
            DepotException e = assertThrows(DepotException.class, () -> depot.ensure(AppRegistry.MODEL, null));
            assertEquals(ExitCode.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("cannot read bundle " + unplugged), e.getMessage());
            assertEquals(0, reg.origin.requests("/tagger/model.onnx"), "the bundle comes first: no download behind its back");
        }
    }
}
