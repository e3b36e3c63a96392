package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
