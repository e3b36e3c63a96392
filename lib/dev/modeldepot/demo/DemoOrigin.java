package dev.modeldepot.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An embedded origin on 127.0.0.1 serving the demo catalog like a CDN does: Range requests (206
 * with Content-Range), If-Range against a strong ETag, HEAD, and a per-connection rate cap so a
 * download's progress is visible. Nothing is stored: bytes are generated per request.
 */
public final class DemoOrigin implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final int CHUNK = 16 * 1024;

    private final DemoCatalog catalog;
    private final long bytesPerSecond;
    private final HttpServer server;
    private final ExecutorService executor;

    /** @param bytesPerSecond cap per connection; 0 or less means unthrottled */
    public DemoOrigin(DemoCatalog catalog, long bytesPerSecond) throws IOException {
        this.catalog = catalog;
        this.bytesPerSecond = bytesPerSecond;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.executor = Executors.newCachedThreadPool(dev.modeldepot.core.Threads.daemon("demo-origin"));
        server.setExecutor(executor);
        server.createContext("/files/", this::serve);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            DemoFile file = catalog.file(exchange.getRequestURI().getPath().substring("/files/".length()));
            if (file == null || !(method.equals("GET") || method.equals("HEAD"))) {
                exchange.sendResponseHeaders(file == null ? 404 : 405, -1);
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.set("Accept-Ranges", "bytes");
            headers.set("ETag", file.etag());
            headers.set("Content-Type", "application/octet-stream");
            long start = 0;
            long end = file.size() - 1;
            int status = 200;
            String range = exchange.getRequestHeaders().getFirst("Range");
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            boolean rangeApplies = range != null && (ifRange == null || ifRange.equals(file.etag()));
            if (rangeApplies) {
                Matcher m = RANGE.matcher(range.trim());
                if (!m.matches() || Long.parseLong(m.group(1)) >= file.size()) {
                    headers.set("Content-Range", "bytes */" + file.size());
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                start = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    end = Math.min(end, Long.parseLong(m.group(2)));
                }
                status = 206;
                headers.set("Content-Range", "bytes " + start + "-" + end + "/" + file.size());
            }
            long length = end - start + 1;
            if (method.equals("HEAD")) {
                headers.set("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, length);
            send(file, start, length, exchange.getResponseBody());
        } catch (IOException e) {
            // The client went away (pause, cancel, quit): nothing to clean up on a stateless origin.
        }
    }

    private void send(DemoFile file, long start, long length, OutputStream out) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long began = System.nanoTime();
        long sent = 0;
        while (sent < length) {
            int n = (int) Math.min(CHUNK, length - sent);
            file.fillServed(start + sent, buffer, n);
            out.write(buffer, 0, n);
            sent += n;
            if (bytesPerSecond > 0) {
                long dueNanos = (long) (sent * 1e9 / bytesPerSecond);
                long aheadMillis = (dueNanos - (System.nanoTime() - began)) / 1_000_000;
                if (aheadMillis > 0) {
                    try {
                        Thread.sleep(aheadMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("origin stopping");
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
