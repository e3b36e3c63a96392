package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.bundle.Bundle;
import dev.modeldepot.bundle.BundleImporter;
import dev.modeldepot.cli.CheckModelsCommand;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.testing.Run;
import dev.modeldepot.tui.QueueControl;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline bundles end to end: export from one store, import into another with the origin stopped,
 * sha256sum and GNU tar as the outside judges, damaged and split bundles, and a resumed import.
 */
class BundleTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);
    Path target;

    @BeforeEach
    void setUp() throws Exception {
        target = tmp.resolve("target-store");
    }

    private Run store(Path storeRoot, String... args) {
        ModelStoreCommand cmd = new ModelStoreCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = new HashMap<>(fx.env());
        List<String> all = new ArrayList<>(List.of("--cache-dir", storeRoot.toString(), "--registry", fx.registryFile.toString()));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    private Run check(Path storeRoot, Map<String, String> env, String... args) {
        CheckModelsCommand cmd = new CheckModelsCommand();
        cmd.common = new CommonOptions();
        Map<String, String> all = new HashMap<>(fx.env());
        all.putAll(env);
        cmd.common.env = all;
        cmd.fetchers = common -> {
            throw new AssertionError("the network was asked for a file the bundle holds");
        };
        List<String> list = new ArrayList<>(List.of("--cache-dir", storeRoot.toString(), "--registry", fx.registryFile.toString()));
        list.addAll(List.of(args));
        return Run.of(cmd, list.toArray(String[]::new));
    }

    private void installAlpha() throws Exception {
        fx.store().install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
    }

    private static int sh(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aProfileRoundTripsIntoAnotherStoreWithTheNetworkGone() throws Exception {
        installAlpha();
        Path tar = tmp.resolve("out/minimal.tar");
        Run export = store(fx.storeRoot, "export", "--profile", "minimal", "--to", tar.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertTrue(export.out().contains("exported 1 variant(s), 2 file(s)"), export.out());
        fx.origin.close();

        Run imported = store(target, "import-bundle", tar.toString(), "--app", "photos");
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("installed alpha:q4"), imported.out());
        Run status = check(target, Map.of(), "alpha", "--json");
        assertEquals(0, status.exitCode(), status.out() + status.err());
        JsonNode model = Json.MAPPER.readTree(status.out()).get("models").get(0);
        assertEquals("ready", model.get("state").asText());
        VariantMeta meta = ModelStore.open(target, Clock.systemUTC()).meta("alpha", "q4").orElseThrow();
        assertEquals(List.of("photos"), meta.apps());
        Path readable = target.resolve("models/alpha/q4/alpha-q4.gguf");
        assertTrue(java.util.Arrays.equals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(readable)));

        Run again = store(target, "import-bundle", tar.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("0 file(s) copied") && again.out().contains("2 already in the store"), again.out());
    }

    @Test
    void sha256sumAndGnuTarAcceptTheBundleAndATarRepackedByGnuTarImports() throws Exception {
        installAlpha();
        Path folder = tmp.resolve("bundle");
        assertEquals(0, store(fx.storeRoot, "export", "alpha:q4", "--to", folder.toString()).exitCode());
        assertEquals(0, sh(folder, "sha256sum", "--strict", "-c", "SHA256SUMS"), "sha256sum -c accepts the folder bundle");

        Path tar = tmp.resolve("alpha.tar");
        assertEquals(0, store(fx.storeRoot, "export", "alpha:q4", "--to", tar.toString()).exitCode());
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        assertEquals(0, sh(unpacked, "tar", "-xf", tar.toString()), "GNU tar unpacks our tar");
        assertEquals(0, sh(unpacked, "sha256sum", "--strict", "-c", "SHA256SUMS"));

        Path repacked = tmp.resolve("repacked.tar");
        assertEquals(0, sh(folder, "tar", "-cf", repacked.toString(), "."), "GNU tar packs the folder");
        Run imported = store(target, "import-bundle", repacked.toString());
        assertEquals(0, imported.exitCode(), imported.err());
    }

    @Test
    void aCorruptedByteIsRefusedWithExit3AndTheTargetStoreUnchanged() throws Exception {
        installAlpha();
        Path tar = tmp.resolve("alpha.tar");
        assertEquals(0, store(fx.storeRoot, "export", "alpha:q4", "--to", tar.toString()).exitCode());
        // The last blob's data ends 1024 (end marker) + padding bytes before the end: flip a byte well inside it.
        long at = Files.size(tar) - 1024 - 512 - 40_000;
        try (FileChannel ch = FileChannel.open(tar, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
            ch.write(b, at);
        }
        Run r = store(target, "import-bundle", tar.toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("error")).count(), "one sentence: " + r.err());
        assertTrue(r.err().contains("alpha:q4/alpha-q4.gguf: copying 300 kB from the bundle"), r.err());
        assertTrue(r.err().contains("does not match its sha256"), r.err());
        assertEquals(List.of(), filesUnder(target.resolve("blobs")));
        assertEquals(List.of(), filesUnder(target.resolve("models")));
        assertEquals(List.of(), filesUnder(target.resolve("meta")));
        assertEquals(List.of(), filesUnder(target.resolve("partial")));
    }

    @Test
    void aSplitBundleRoundTripsAndAMissingPartIsNamed() throws Exception {
        installAlpha();
        Path tar = tmp.resolve("usb/alpha.tar");
        Run export = store(fx.storeRoot, "export", "alpha:q4", "--to", tar.toString(), "--split", "100K");
        assertEquals(0, export.exitCode(), export.err());
        List<Path> parts;
        try (Stream<Path> s = Files.list(tar.getParent())) {
            parts = s.sorted().toList();
        }
        assertTrue(parts.size() >= 4, "400 KB in parts of 100K: " + parts);
        assertTrue(parts.stream().allMatch(p -> p.getFileName().toString().matches("alpha\\.tar\\.part\\d+")), parts.toString());
        assertTrue(parts.stream().allMatch(p -> p.toFile().length() <= 100 * 1024));

        Path otherTarget = tmp.resolve("other-store");
        Path p3 = tar.resolveSibling("alpha.tar.part3");
        Path aside = tmp.resolve("part3-aside");
        Files.move(p3, aside);
        Run missing = store(otherTarget, "import-bundle", tar.resolveSibling("alpha.tar.part1").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("alpha.tar.part3 is missing"), missing.err());
        Files.move(aside, p3);

        Path last = parts.get(parts.size() - 1);
        Files.move(last, aside);
        Run truncated = store(otherTarget, "import-bundle", tar.toString());
        assertEquals(2, truncated.exitCode(), truncated.err());
        assertTrue(truncated.err().contains("ends early"), truncated.err());
        Files.move(aside, last);

        Run imported = store(target, "import-bundle", tar.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertEquals(0, check(target, Map.of(), "alpha").exitCode());
    }

    @Test
    void anInterruptedImportResumesWithoutCopyingFinishedFilesAgain() throws Exception {
        installAlpha();
        Path folder = tmp.resolve("bundle");
        assertEquals(0, store(fx.storeRoot, "export", "alpha:q4", "--to", folder.toString()).exitCode());
        ModelStore store = ModelStore.open(target, Clock.systemUTC());
        ExecutorService hasher = Executors.newSingleThreadExecutor();
        try (Bundle bundle = Bundle.open(folder)) {
            Cancellation cancel = new Cancellation();
            DownloadListener stopAfterFirst = e -> {
                if (e instanceof DownloadEvent.Verified) {
                    cancel.cancel();
                }
            };
            DepotException stopped = org.junit.jupiter.api.Assertions.assertThrows(DepotException.class,
                    () -> new BundleImporter(store, hasher).importAll(bundle, null, stopAfterFirst, cancel));
            assertEquals(ExitCode.INTERRUPTED, stopped.exitCode());
            assertEquals(1, filesUnder(target.resolve("partial")).size(), "the verified first file is kept");
            assertEquals(List.of(), filesUnder(target.resolve("models")));

            BundleImporter.Report report = new BundleImporter(store, hasher).importAll(bundle, null, DownloadListener.NONE, new Cancellation());
            assertEquals(1, report.blobsCopied(), "only the second file is copied on resume");
            assertEquals(List.of("alpha:q4"), report.variants());
        } finally {
            hasher.shutdownNow();
        }
        assertEquals(0, check(target, Map.of(), "alpha").exitCode());
    }

    @Test
    void checkModelsInstallsFromABundleFirstWithNoNetwork() throws Exception {
        installAlpha();
        Path folder = tmp.resolve("installer/models");
        assertEquals(0, store(fx.storeRoot, "export", "--profile", "minimal", "--to", folder.toString()).exitCode());
        fx.origin.close();
        Run r = check(target, Map.of("MODELDEPOT_BUNDLE", folder.toString()), "alpha", "--download", "--yes");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("installing from bundle"), r.out());
        Run byOption = check(tmp.resolve("third-store"), Map.of(), "alpha", "--download", "--yes", "--bundle", folder.toString());
        assertEquals(0, byOption.exitCode(), byOption.out() + byOption.err());
    }

    @Test
    void exportRefusesAModelThatIsNotReadyAndLeavesNothingBehind() throws Exception {
        Path to = tmp.resolve("b.tar");
        Run r = store(fx.storeRoot, "export", "alpha:q8", "--to", to.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("alpha:q8 is missing in the store; export takes ready models only"), r.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("b.tar")));
        }
    }

    @Test
    void anUnknownManifestVersionIsBadInput() throws Exception {
        installAlpha();
        Path folder = tmp.resolve("bundle");
        assertEquals(0, store(fx.storeRoot, "export", "alpha:q4", "--to", folder.toString()).exitCode());
        Path manifest = folder.resolve("model-depot-bundle.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"bundleVersion\" : 1", "\"bundleVersion\" : 7"));
        Run r = store(target, "import-bundle", folder.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown bundle version 7"), r.err());
    }
    @Test
    void theDashboardsQueueInstallsFromABundleWithProgressAndSaysSo() throws Exception {
        installAlpha();
        Path folder = tmp.resolve("bundle");
        assertEquals(0, store(fx.storeRoot, "export", "alpha:q4", "--to", folder.toString()).exitCode());
        fx.origin.close();
        try (ModelDepot depot = ModelDepot.builder().registry(fx.registry()).cacheDir(target).env(fx.env())
                .fetcher(FileFetcher.NONE).bundle(folder).build();
             DownloadQueue queue = depot.queue(1)) {
            // What model-dashboard --bundle does: the API's queue, its installs fed from the bundle first.
            QueueControl control = QueueControl.of(queue, depot.bundleSource().map(b -> "bundle " + b).orElse(null));
            assertTrue(control.label().startsWith("local queue, from bundle " + folder), control.label());
            queue.start();
            assertTrue(control.enqueue("alpha:q4", 0));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            ItemSnapshot item;
            do {
                item = control.snapshot().items().get(0);
                Thread.sleep(5);
            } while (item.state() != ItemState.COMPLETED && item.state() != ItemState.FAILED && System.nanoTime() < deadline);
            assertEquals(ItemState.COMPLETED, item.state(), String.valueOf(item.lastError()));
            assertEquals(2, item.filesDone());
            assertEquals(400_000, item.bytesDone());
        }
        assertEquals(0, check(target, Map.of(), "alpha").exitCode());
    }
}
