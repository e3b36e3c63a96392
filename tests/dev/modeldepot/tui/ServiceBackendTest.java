package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Threads;
import dev.modeldepot.demo.DemoCatalog;
import dev.modeldepot.demo.DemoOrigin;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.service.DownloadService;
import dev.modeldepot.service.ServiceClient;
import dev.modeldepot.service.ServiceDiscovery;
import dev.modeldepot.service.ServiceEndpoint;
import dev.modeldepot.service.ServiceToken;
import dev.modeldepot.service.StoreView;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a download service running on the same store, the dashboard finds it and acts through its
 * API instead of starting a second downloader: the queue it shows and drives is the service's.
 */
class ServiceBackendTest {
    @TempDir
    Path dir;

    @Test
    void theDashboardDrivesTheRunningServicesQueue() throws Exception {
        Clock clock = Clock.systemUTC();
        DemoCatalog catalog = DemoCatalog.create(2_000_000, 11);
        Path root = dir.resolve("store");
        try (DemoOrigin origin = new DemoOrigin(catalog, 0)) {
            Registry registry = catalog.registry(origin.uri());
            ModelStore store = ModelStore.open(root, clock).forRegistry(registry);
            // The service as it runs once wired to the store and the engine.
            FileFetcher fetcher = Fetchers.of(new DownloadEngine(DownloadSettings.defaults(Map.of())));
            DownloadQueue serviceQueue = new DownloadQueue(DownloadQueue.defaultStateFile(root),
                    (key, l, c) -> store.install(registry.resolve(key), fetcher, l, c, "model-store serve"), 1, clock);
            StoreView view = new StoreView() {
                public boolean inStore(dev.modeldepot.registry.VariantRef ref) {
                    return store.status(ref, false).usable();
                }

                public boolean inHfCache(dev.modeldepot.registry.VariantRef ref) {
                    return false;
                }
            };
            try (DownloadService service = new DownloadService(new DownloadService.Config(root, InetAddress.getLoopbackAddress(), 0),
                    registry, serviceQueue, view, ServiceToken.loadOrCreate(dir.resolve("token")), Map.of(), clock,
                    new PrintStream(OutputStream.nullOutputStream()))) {
                ServiceEndpoint endpoint = service.start();
                ServiceEndpoint found = ServiceDiscovery.find(root).orElseThrow();
                ExecutorService actions = Executors.newSingleThreadExecutor(Threads.daemon("test-dashboard-actions"));
                try (ServiceQueue remote = new ServiceQueue(new ServiceClient(found), clock);
                     StoreBackend backend = new StoreBackend(registry, store, remote, clock, 0, false)) {
                    // The service is asked from the poller, so the header names it once the first answer came.
                    StoreBackendTest.await("the header naming the service", () ->
                            backend.load().backend().equals("via service on :" + endpoint.port()));
                    // A key press on the dashboard: the action runs on its worker, the outcome shows when the service answered.
                    Harness h = new Harness(120, 40, backend, clock, false, actions);
                    int row = h.controller.state().visibleModels().stream().map(ModelRow::key).toList().indexOf("demo-llava:q4_k_m");
                    for (int i = 0; i < row; i++) {
                        h.press(new KeyStroke(KeyType.ArrowDown));
                    }
                    h.press(new KeyStroke('d', false, false));
                    StoreBackendTest.await("the service's answer on screen", () -> h.tick().find("queued demo-llava:q4_k_m") != null);
                    assertThrows(DepotException.class, () -> backend.download("demo-llava:q4_k_m"), "already in the service's queue");
                    StoreBackendTest.await("the service's download", () ->
                            backend.queue().item("demo-llava:q4_k_m").map(i -> i.state() == ItemState.COMPLETED).orElse(false));
                    StoreBackendTest.await("the row ready", () -> backend.load().models().stream()
                            .anyMatch(r -> r.key().equals("demo-llava:q4_k_m") && r.state() == ModelRow.State.READY));
                    assertEquals(ItemState.COMPLETED, serviceQueue.snapshot().item("demo-llava:q4_k_m").orElseThrow().state(),
                            "the service's own queue ran it, not a second one");

                    backend.download("demo-broken:q8_0");
                    StoreBackendTest.await("the corrupt file", () -> backend.load().models().stream()
                            .anyMatch(r -> r.key().equals("demo-broken:q8_0") && r.state() == ModelRow.State.CORRUPT));
                    assertEquals(3, serviceQueue.snapshot().item("demo-broken:q8_0").orElseThrow().errorCode(),
                            "the integrity exit code crosses the API");
                    remote.setPriority("demo-broken:q8_0", 5);
                    assertEquals(5, serviceQueue.snapshot().item("demo-broken:q8_0").orElseThrow().priority(),
                            "the service's own queue took the new priority");
                    backend.delete("demo-broken:q8_0");
                    StoreBackendTest.await("cleared in the service", () -> serviceQueue.snapshot().item("demo-broken:q8_0").isEmpty());
                } finally {
                    actions.shutdownNow();
                }
            }
            assertTrue(ServiceDiscovery.find(root).isEmpty());
        }
    }
}
