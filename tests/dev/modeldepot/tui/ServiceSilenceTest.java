package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.modeldepot.core.Threads;
import dev.modeldepot.demo.DemoCatalog;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.store.ModelStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.io.TempDir;

import dev.modeldepot.service.ServiceClient;
import dev.modeldepot.service.ServiceEndpoint;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The dashboard talks to the service from a worker: a service that stopped answering never freezes the screen. */
class ServiceSilenceTest {
    @Test
    void aSilentServiceIsNamedWithTheTimeItStoppedAndTheScreenNeverWaits() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing answers there
        }
        ServiceEndpoint gone = new ServiceEndpoint(URI.create("http://127.0.0.1:" + port + "/"), port, "127.0.0.1", 1, Instant.now(), "0", null);
        ServiceClient client = new ServiceClient(gone);
        long start = System.nanoTime();
        try (ServiceQueue queue = new ServiceQueue(client, Clock.systemUTC())) {
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1000, "the constructor does not wait for the service");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!queue.label().contains("service not answering since ")) {
                assertTrue(System.nanoTime() < deadline, queue.label());
                Thread.sleep(20);
            }
            assertTrue(queue.label().matches(".*since \\d\\d:\\d\\d:\\d\\d$"), queue.label());
            assertTrue(queue.snapshot().items().stream().allMatch(i -> i.bytesPerSecond() == 0), "no live speed from a silent service");
        }
    }

    /**
     * A service that accepts connections and never answers (a hung JVM, a stopped process whose
     * socket the kernel still accepts on): a key press comes back to the screen at once, the
     * screen says what is under way and, two seconds later, that the service is not answering.
     */
    @Test
    void aServiceThatAcceptsAndNeverAnswersLeavesTheScreenFreeAndSaysSo(@TempDir Path dir) throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket standIn = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!standIn.isClosed()) {
                    try {
                        held.add(standIn.accept()); // never read, never answered
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-service");
            acceptor.setDaemon(true);
            acceptor.start();
            int port = standIn.getLocalPort();
            Path token = Files.writeString(dir.resolve("token"), "t0k3n");
            ServiceEndpoint hung = new ServiceEndpoint(URI.create("http://127.0.0.1:" + port + "/"), port, "127.0.0.1", 1, Instant.now(), "0",
                    token.toString());
            Clock clock = Clock.systemUTC();
            Registry registry = DemoCatalog.create(2_000_000, 11).registry(URI.create("http://127.0.0.1:9/"));
            ModelStore store = ModelStore.open(dir.resolve("store"), clock).forRegistry(registry);
            ExecutorService actions = Executors.newSingleThreadExecutor(Threads.daemon("test-dashboard-actions"));
            try (ServiceQueue queue = new ServiceQueue(new ServiceClient(hung), clock);
                 StoreBackend backend = new StoreBackend(registry, store, queue, clock, 0, false)) {
                Harness h = new Harness(120, 30, backend, clock, false, actions);
                String key = h.controller.state().selectedModel().key();
                long start = System.nanoTime();
                h.press(new KeyStroke('d', false, false));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 1500, "the key press took " + millis + " ms: the screen waited for the service");
                assertTrue(h.text().contains("queueing " + key + " …"), "says what is under way:\n" + h.text());
                // Well before the client's 20 s answer timeout: the hanging call itself counts as silence.
                long deadline = System.nanoTime() + 12_000_000_000L;
                while (!h.text().contains("service not answering since ")) {
                    assertTrue(System.nanoTime() < deadline, "no silence shown:\n" + h.text());
                    Thread.sleep(50);
                    h.tick();
                }
                assertTrue(h.text().matches("(?s).*service not answering since \\d\\d:\\d\\d:\\d\\d.*"), h.text());
                // The screen keeps working while the call hangs: keys move the selection at once.
                start = System.nanoTime();
                h.press(new KeyStroke(KeyType.ArrowDown));
                assertTrue((System.nanoTime() - start) / 1_000_000 < 1500, "the next key waited");
                assertEquals(1, h.controller.state().selected());
            } finally {
                actions.shutdownNow();
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
