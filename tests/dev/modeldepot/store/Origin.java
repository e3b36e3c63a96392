package dev.modeldepot.store;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on 127.0.0.1 serving fixed bytes. It counts GETs per file, and can hold a
 * response half-way until the test opens the gate, so another process can act mid-download.
 */
final class Origin implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate;
    private final CountDownLatch halfSent = new CountDownLatch(1);

    Origin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/files/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/files/".length());
            byte[] body = files.get(name);
            gets.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("ETag", "\"" + name.hashCode() + "\"");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                int half = body.length / 2;
                out.write(body, 0, half);
                out.flush();
                CountDownLatch g = gate;
                if (g != null) {
                    halfSent.countDown();
                    try {
                        g.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                out.write(body, half, body.length - half);
            }
        });
        server.start();
    }

    URI add(String name, byte[] body) {
        files.put(name, body);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + name + "?token=s3cr3t-signature");
    }

    int gets(String name) {
        AtomicInteger n = gets.get(name);
        return n == null ? 0 : n.get();
    }

    /** From now on, responses pause half-way until {@link #open()}. */
    void holdHalfway() {
        gate = new CountDownLatch(1);
    }

    boolean awaitHalfSent() throws InterruptedException {
        return halfSent.await(60, TimeUnit.SECONDS);
    }

    void open() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    public void close() {
        open();
        server.stop(0);
    }
}
