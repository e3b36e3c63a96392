package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.store.VariantStatus.State;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store operations from real separate JVMs on one store. The origin holds each response half-way
 * until the test lets it go, so the other process acts while a download is truly in progress.
 */
class TwoProcessTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        started.forEach(Process::destroyForcibly);
    }

    private record Child(Process process, Path out, Path err) {
        int await() throws Exception {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "child finished");
            return process.exitValue();
        }

        String stdout() throws Exception {
            return Files.readString(out);
        }

        String stderr() throws Exception {
            return Files.readString(err);
        }
    }

    private Child start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "child", ".out");
        Path err = Files.createTempFile(tmp, "child", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HF_HUB_CACHE", fx.noHfCache.toString());
        pb.environment().remove("MODELDEPOT_APP");
        Process p = pb.start();
        started.add(p);
        return new Child(p, out, err);
    }

    private Child install(String key) throws Exception {
        return start("install", fx.storeRoot.toString(), fx.registryFile.toString(), key);
    }

    private Child cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("cli", "--cache-dir", fx.storeRoot.toString(), "--registry", fx.registryFile.toString()));
        all.addAll(List.of(args));
        return start(all.toArray(String[]::new));
    }

    @Test
    void twoProcessesInstallingTheSameModelDownloadEachFileOnce() throws Exception {
        fx.origin.holdHalfway();
        Child a = install("alpha:q4");
        assertTrue(fx.origin.awaitHalfSent(), "the first download is under way");
        Child b = install("alpha:q4");
        Thread.sleep(300); // give b time to reach the lock; either interleaving must give the same result
        fx.origin.open();
        assertEquals(0, a.await(), a.stderr());
        assertEquals(0, b.await(), b.stderr());
        assertEquals(1, fx.origin.gets("alpha-q4.gguf"), "the second process waited for the first and reused its blob");
        assertEquals(1, fx.origin.gets("mmproj.gguf"));
        assertEquals(State.READY, fx.store().status(fx.ref("alpha:q4"), true).state());
    }

    /**
     * Issue 11, item 1: the second process waits, showing the first one's progress from its
     * partial's state file; when the first is killed with -9 it takes over and resumes.
     */
    @Test
    void aSecondProcessShowsTheFirstOnesProgressThenTakesOverWhenItIsKilled() throws Exception {
        byte[] body = dev.modeldepot.testing.FaultOrigin.randomBytes(4 << 20, 11);
        try (var origin = dev.modeldepot.testing.FaultOrigin.start()) {
            var served = origin.serve("/m.gguf", body).bytesPerSecond(32 << 10);
            Path registry = OneFile.registry(tmp, "one.json", origin.url("/m.gguf"), body);
            var ref = OneFile.ref(registry);
            Path partialDir = fx.store().layout().partialDir(ref, ref.variant().files().get(0));
            Child a = start("engine", fx.storeRoot.toString(), registry.toString(), "m:q");
            awaitTrue(() -> dev.modeldepot.download.PartialProgress.of(partialDir).bytes() > 100_000, "the first download is under way");

            Child b = start("engine", fx.storeRoot.toString(), registry.toString(), "m:q");
            awaitTrue(() -> b.stdout().lines().anyMatch(l -> l.startsWith("Progress bytes=") && !l.equals("Progress bytes=0")),
                    "the second process shows the first one's progress (" + b.stdout() + b.stderr() + ")");
            assertFalse(b.stdout().contains("Started"), "it did not start a download of its own: " + b.stdout());

            a.process().destroyForcibly();
            assertTrue(a.process().waitFor(30, TimeUnit.SECONDS));
            served.bytesPerSecond(0); // the rest at full speed: the test is about who fetches what, not how fast
            assertEquals(0, b.await(), b.stderr() + b.stdout());
            List<String> lines = b.stdout().lines().toList();
            assertEquals(1, lines.stream().filter(l -> l.contains("another process is downloading")).count(),
                    "one note that it waits, then progress: " + lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains("taking over its partial download")), lines.toString());
            long resumedAt = lines.stream().filter(l -> l.startsWith("Started bytes=")).mapToLong(l -> Long.parseLong(l.substring(14))).findFirst().orElse(-1);
            assertTrue(resumedAt > 100_000, "the second process resumed the first one's partial: " + lines);
            assertArrayEquals(body, Files.readAllBytes(fx.storeRoot.resolve("models/m/q/m.gguf")));
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void pruneAndListDuringAnInstallNeverTouchWhatTheInstallNeeds() throws Exception {
        fx.store().install(fx.ref("beta"), new HttpFetcher(), dev.modeldepot.download.DownloadListener.NONE, new dev.modeldepot.download.Cancellation(), null);
        fx.store().install(fx.ref("alpha:q8"), new HttpFetcher(), dev.modeldepot.download.DownloadListener.NONE, new dev.modeldepot.download.Cancellation(), null);
        // q8 and the q4 being installed share the projector blob: pruning q8 mid-install must keep it.
        fx.origin.holdHalfway();
        Child a = install("alpha:q4");
        assertTrue(fx.origin.awaitHalfSent());
        assertTrue(Files.list(fx.storeRoot.resolve("partial")).findAny().isPresent(), "a partial download exists");

        Child list = cli("list", "--json");
        assertEquals(0, list.await(), list.stderr());
        JsonNode rows = Json.MAPPER.readTree(list.stdout());
        assertTrue(rows.size() >= 1, list.stdout());

        Child prune = cli("prune", "--max-size", "0");
        assertEquals(0, prune.await(), prune.stderr());
        assertTrue(prune.stdout().contains("beta:fp16") && prune.stdout().contains("alpha:q8"), "idle unpinned models were pruned: " + prune.stdout());
        assertFalse(prune.stdout().contains("alpha:q4"), "the model being installed was not: " + prune.stdout());
        assertTrue(Files.exists(fx.store().layout().blob(fx.sha("mmproj.gguf"))), "the shared blob the install needs stays");
        assertFalse(prune.stdout().contains("stale-partial"), "its partial was not either: " + prune.stdout());

        fx.origin.open();
        assertEquals(0, a.await(), a.stderr());
        assertEquals(State.READY, fx.store().status(fx.ref("alpha:q4"), true).state());
        assertEquals(1, fx.origin.gets("mmproj.gguf"), "the install reused the kept blob");
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(fx.storeRoot.resolve("models/alpha/q4/alpha-q4.gguf")));
    }

    @Test
    void aProcessKilledMidDownloadLeavesNoLockBehind() throws Exception {
        fx.origin.holdHalfway();
        Child a = install("alpha:q4");
        assertTrue(fx.origin.awaitHalfSent(), "the download is under way, holding its locks");
        a.process().destroyForcibly();
        assertTrue(a.process().waitFor(30, TimeUnit.SECONDS));
        fx.origin.open();
        // The kernel released the dead process's file locks: no stale lock to wait for or break.
        ModelStore store = ModelStore.open(fx.storeRoot, java.time.Clock.systemUTC(),
                new StoreOptions(Linker.system(), new HfCache(fx.noHfCache), Duration.ofMillis(500), Duration.ofMillis(500)));
        store.install(fx.ref("alpha:q4"), new HttpFetcher(), dev.modeldepot.download.DownloadListener.NONE, new dev.modeldepot.download.Cancellation(), null);
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), true).state());
    }

    @Test
    void deleteDuringAnImportLeavesAConsistentStore() throws Exception {
        Path usb = Files.createDirectories(tmp.resolve("usb"));
        Files.write(usb.resolve("a.gguf"), fx.content.get("alpha-q8.gguf"));
        Files.write(usb.resolve("b.gguf"), fx.content.get("mmproj.gguf"));
        fx.store().install(fx.ref("alpha:q8"), new HttpFetcher(), dev.modeldepot.download.DownloadListener.NONE, new dev.modeldepot.download.Cancellation(), null);
        Child imp = cli("import", usb.toString(), "--model", "alpha:q8");
        Child del = cli("delete", "alpha:q8");
        int importCode = imp.await();
        int deleteCode = del.await();
        assertEquals(0, importCode, imp.stderr());
        assertEquals(0, deleteCode, del.stderr());
        // Whichever went last wins, but the store is whole either way: stored means ready, else gone.
        ModelStore store = fx.store();
        VariantStatus q8 = store.status(fx.ref("alpha:q8"), true);
        if (store.meta("alpha", "q8").isPresent()) {
            assertEquals(State.READY, q8.state());
        } else {
            assertEquals(State.MISSING, q8.state());
            assertFalse(Files.exists(store.layout().blob(fx.sha("alpha-q8.gguf"))), "no orphan left by the delete");
        }
        assertEquals(0, store.warnings().size(), store.warnings().toString());
    }
}
