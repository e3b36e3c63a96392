package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text from servers and registries reaches the dashboard escaped, and a stored row never stops it. */
class HostileTextTest {
    static final String TITLE_ATTACK = "bad range \u001b]0;pwned\u0007 from server";

    @TempDir
    Path dir;

    @Test
    void controlCharactersInRowsAreShownEscapedNotExecuted() {
        DashboardState.Data base = Fixtures.data(0);
        List<ModelRow> rows = new ArrayList<>(base.models());
        rows.set(2, Fixtures.row("broken-model", "q8_0", ModelRow.State.CORRUPT, 1, TITLE_ATTACK));
        rows.add(Fixtures.row("odd\u007f\u009bname", "v", ModelRow.State.MISSING, 0, null));
        DashboardState.Data data = new DashboardState.Data(base.storePath(), base.backend(), base.freeDisk(), base.budget(), base.storeUsage(), rows);
        Harness h = new Harness(160, 50, new FakeBackend(data));
        h.press(Binding.key('j'), Binding.key('j'));
        String text = h.text();
        assertTrue(text.contains("\\x1b]0;pwned\\x07"), text);
        assertTrue(text.contains("odd\\x7f\\x9bname"), text);
        assertFalse(text.contains("\u001b") || text.contains("\u0007"), "no raw control character reaches the screen");
    }

    @Test
    void aQueueFileHoldingAnEscapeSequenceDoesNotStopTheNextStart() throws Exception {
        Path root = dir.resolve("store");
        Path registryFile = dir.resolve("registry.json");
        Files.writeString(registryFile, """
                {"schemaVersion": 1, "models": [{"id": "m", "name": "M", "variants": [{"id": "v", "default": true,
                  "files": [{"path": "f.bin", "url": "http://127.0.0.1:9/f.bin", "size": 10,
                             "sha256": "%s"}]}]}]}""".formatted("a".repeat(64)));
        Registry registry = RegistryLoader.load(registryFile.toString(), true);
        Clock clock = Clock.systemUTC();
        // A first run whose download failed with a server's hostile text, saved in queue.json.
        try (DownloadQueue q = new DownloadQueue(DownloadQueue.defaultStateFile(root), (key, l, c) -> {
            throw DepotException.failed(TITLE_ATTACK);
        }, 1, clock)) {
            q.start();
            q.enqueue("m:v", 0);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (q.snapshot().item("m:v").map(i -> i.state() != ItemState.FAILED).orElse(true)) {
                assertTrue(System.nanoTime() < deadline, "the job never failed");
                Thread.sleep(20);
            }
        }
        assertTrue(Files.readString(DownloadQueue.defaultStateFile(root)).contains("pwned"));
        // The next start: the dashboard over the same store and queue file, then q.
        ModelStore store = ModelStore.open(root, clock).forRegistry(registry);
        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(120, 40));
        terminal.addInput(Binding.key('q'));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        int code;
        try (DownloadQueue q = new DownloadQueue(DownloadQueue.defaultStateFile(root), (key, l, c) -> { }, 1, clock)) {
            q.start();
            StoreBackend backend = new StoreBackend(registry, store, QueueControl.of(q), clock, 0, false);
            code = DashboardApp.run(terminal, backend, clock, logs);
            backend.close();
        }
        String crash = "";
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.list(logs)) {
                for (Path p : s.toList()) {
                    crash += Files.readString(p);
                }
            }
        }
        assertEquals(0, code, crash);
    }
}
