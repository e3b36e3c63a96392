package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ServiceWiring} builds, in-process against a loopback origin: the real store and
 * download engine behind the queue, and the store view over the store's status and a Hugging
 * Face cache tree built here with huggingface_hub's layout.
 * m:a = x.gguf; m:b = x.gguf (shared) + y.gguf; m:c = z.gguf (1.5 MB); m:u = n.txt (no sha256).
 */
@ExtendWith(StartedOrigins.class)
class ServiceWiringTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;
    FaultOrigin origin;
    final Map<String, byte[]> content = new LinkedHashMap<>();
    Registry registry;
    Path root;
    Path hub;

    @BeforeEach
    void setUp() throws Exception {
        root = dir.resolve("store");
        hub = dir.resolve("hf/hub");
        content.put("x.gguf", FaultOrigin.randomBytes(300_000, 1));
        content.put("y.gguf", FaultOrigin.randomBytes(300_000, 2));
        content.put("z.gguf", FaultOrigin.randomBytes(1_500_000, 3));
        content.put("n.txt", FaultOrigin.randomBytes(2_000, 4));
        content.forEach((name, bytes) -> origin.serve("/" + name, bytes));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "m");
        m.put("name", "M");
        m.put("variants", List.of(variant("a", true, "x.gguf"), variant("b", false, "x.gguf", "y.gguf"),
                variant("c", false, "z.gguf"), variant("u", false, "n.txt")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 1);
        doc.put("models", List.of(m));
        registry = RegistryLoader.parse(Json.pretty(doc), "test");
    }

    private Map<String, Object> variant(String id, boolean isDefault, String... files) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : files) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", name);
            f.put("url", origin.url("/" + name).toString());
            f.put("size", content.get(name).length);
            if (!name.endsWith(".txt")) {
                f.put("sha256", sha(name));
            }
            list.add(f);
        }
        return Map.of("id", id, "default", isDefault, "files", list);
    }

    private String sha(String name) {
        return FaultOrigin.sha256(content.get(name));
    }

    private ServiceWiring.Parts parts() {
        return ServiceWiring.create(root, registry, Map.of("HF_HUB_CACHE", hub.toString()), Clock.systemUTC(), null, false);
    }

    /** An LFS file in the cache as huggingface_hub writes it: blob named by sha256, snapshot symlink to it. */
    private void putInHfCache(String name, byte[] bytes) throws Exception {
        Path repo = hub.resolve("models--org--m");
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.writeString(hub.resolve("CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        Files.write(repo.resolve("blobs").resolve(sha(name)), bytes);
        Files.deleteIfExists(repo.resolve("snapshots").resolve(COMMIT).resolve(name));
        Files.createSymbolicLink(repo.resolve("snapshots").resolve(COMMIT).resolve(name), Path.of("../../blobs/" + sha(name)));
    }

    @Test
    void theViewAnswersFromTheStoresStatusAndTheHfCache() throws Exception {
        ServiceWiring.Parts parts = parts();
        StoreView view = parts.store();
        assertFalse(view.inHfCache(registry.resolve("m:a")), "no cache folder at all");
        putInHfCache("y.gguf", content.get("y.gguf"));
        assertFalse(view.inHfCache(registry.resolve("m:b")), "x.gguf is not in the cache");
        putInHfCache("x.gguf", content.get("x.gguf"));
        assertTrue(view.inHfCache(registry.resolve("m:a")));
        assertTrue(view.inHfCache(registry.resolve("m:b")), "every file found by its sha256");
        putInHfCache("z.gguf", new byte[1000]);
        assertFalse(view.inHfCache(registry.resolve("m:c")), "a blob of the wrong size is not the file");
        assertFalse(view.inHfCache(registry.resolve("m:u")), "a file without a sha256 cannot be recognised in the cache");

        assertFalse(view.inStore(registry.resolve("m:a")));
        parts.installer().install("m:a", DownloadListener.NONE, new Cancellation());
        assertTrue(view.inStore(registry.resolve("m:a")));
        assertEquals(0, origin.bytesSent("/x.gguf"), "the install took x.gguf from the HF cache the view looks at");
        assertArrayEquals(content.get("x.gguf"), Files.readAllBytes(root.resolve("models/m/a/x.gguf")));

        // The HF cache's z.gguf is the wrong size, so the install downloads it.
        parts.installer().install("m:c", DownloadListener.NONE, new Cancellation());
        assertTrue(view.inStore(registry.resolve("m:c")));
        Path blob = root.resolve("blobs/sha256").resolve(sha("z.gguf"));
        assertTrue(blob.toFile().setWritable(true));
        try (var ch = java.nio.channels.FileChannel.open(blob, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        assertFalse(view.inStore(registry.resolve("m:c")), "a corrupt blob is not in the store");

        parts.installer().install("m:u", DownloadListener.NONE, new Cancellation());
        assertTrue(view.inStore(registry.resolve("m:u")), "present but unverifiable (no sha256) is usable");
    }

    @Test
    void theQueueCountsEveryFileWithTheRealStore() throws Exception {
        ServiceWiring.Parts parts = parts();
        AtomicReference<DownloadQueue> queue = new AtomicReference<>();
        AtomicReference<ItemSnapshot> atSecondFile = new AtomicReference<>();
        // After the queue has taken in the event that y.gguf starts, look at what it shows.
        VariantInstaller spy = (key, listener, cancel) -> parts.installer().install(key, event -> {
            listener.onEvent(event);
            if (event instanceof DownloadEvent.Started s && s.label().equals("m:b/y.gguf")) {
                atSecondFile.set(queue.get().snapshot().item(key).orElseThrow());
            }
        }, cancel);
        try (DownloadQueue q = ServiceWiring.queue(root, spy, 1, Clock.systemUTC())) {
            queue.set(q);
            q.start();
            q.enqueue("m:a", 0);
            awaitState(q, "m:a", ItemState.COMPLETED);
            q.enqueue("m:b", 0);
            ItemSnapshot done = awaitState(q, "m:b", ItemState.COMPLETED);

            ItemSnapshot during = atSecondFile.get();
            assertEquals(2, during.filesTotal(), "both files are announced before the first transfer");
            assertEquals(1, during.filesDone(), "x.gguf, already in the store, counts as done");
            assertEquals(600_000, during.bytesTotal());
            assertEquals(2, done.filesTotal());
            assertEquals(2, done.filesDone());
            assertEquals(600_000, done.bytesDone());
            assertTrue(origin.bytesSent("/x.gguf") < 2 * 300_000, "the shared x.gguf was fetched once");
        }
    }

    @Test
    void aCancelledInstallThrowsAndTheNextOneResumesFromThePartial() throws Exception {
        ServiceWiring.Parts parts = parts();
        FaultOrigin.Resource z = origin.serve("/z.gguf", content.get("z.gguf")).bytesPerSecond(300_000);
        AtomicLong bytes = new AtomicLong();
        Cancellation cancel = new Cancellation();
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            try {
                parts.installer().install("m:c", event -> {
                    if (event instanceof DownloadEvent.Progress p) {
                        bytes.set(p.bytes());
                    }
                }, cancel);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        ServiceProcess.waitFor(() -> bytes.get() >= 200_000 || run.isDone(), "the first bytes of z.gguf");
        cancel.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS),
                "a cancelled install must throw: the queue takes a normal return for success");
        DepotException stopped = assertInstanceOf(DepotException.class, e.getCause());
        assertEquals(ExitCode.INTERRUPTED, stopped.exitCode(), stopped.getMessage());
        assertFalse(parts.store().inStore(registry.resolve("m:c")));
        Path partialDir = root.resolve("partial").resolve(sha("z.gguf"));
        assertTrue(TestFiles.under(partialDir).stream().anyMatch(p -> p.getFileName().toString().endsWith(".part")),
                "the partial is kept in the store's partial area: " + TestFiles.under(partialDir));
        long sentBefore = origin.bytesSent("/z.gguf");
        int requestsBefore = origin.recorded("/z.gguf").size();

        z.bytesPerSecond(0);
        parts.installer().install("m:c", DownloadListener.NONE, new Cancellation());
        assertArrayEquals(content.get("z.gguf"), Files.readAllBytes(root.resolve("models/m/c/z.gguf")));
        long resent = origin.bytesSent("/z.gguf") - sentBefore;
        assertTrue(resent <= 1_500_000 - 200_000 + ServiceApiTest.PROBES, "resumed, not fetched again: " + resent);
        List<FaultOrigin.Request> again = origin.recorded("/z.gguf");
        assertTrue(again.subList(requestsBefore, again.size()).stream().anyMatch(r -> z.etag().equals(r.header("If-Range"))),
                "the resume is validated with If-Range");
        assertFalse(Files.exists(partialDir), "the partial area is cleaned up");
    }

    private static ItemSnapshot awaitState(DownloadQueue q, String key, ItemState state) {
        ServiceProcess.waitFor(() -> q.snapshot().item(key).map(i -> i.state() == state || i.state() == ItemState.FAILED).orElse(false),
                key + " to be " + state);
        ItemSnapshot item = q.snapshot().item(key).orElseThrow();
        assertEquals(state, item.state(), String.valueOf(item.lastError()));
        return item;
    }
}
