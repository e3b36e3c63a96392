package dev.modeldepot.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal file origin on 127.0.0.1 for the service tests: generated files, Range requests
 * answered with 206 and Content-Range, a per-file speed limit that can change while a test runs,
 * and a log of every request (path and Range) to prove resumes.
 */
final class TestOrigin implements AutoCloseable {
    record Request(String path, String range) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Long> limits = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    TestOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "origin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.start();
    }

    /** Adds a file of pseudo-random bytes and returns them. */
    byte[] add(String path, int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        files.put(path, data);
        return data;
    }

    /** Bytes per second for one file; 0 lifts the limit (also for a transfer under way). */
    void limit(String path, long bytesPerSecond) {
        limits.put(path, bytesPerSecond);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    List<Request> requestsFor(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range));
        byte[] data = files.get(path);
        try (ex) {
            if (data == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int start = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                start = (int) Math.min(Long.parseLong(m.group(1)), data.length);
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
                ex.sendResponseHeaders(206, data.length - start);
            } else {
                ex.sendResponseHeaders(200, data.length);
            }
            OutputStream out = ex.getResponseBody();
            int chunk = 16 * 1024;
            for (int pos = start; pos < data.length; pos += chunk) {
                int n = Math.min(chunk, data.length - pos);
                out.write(data, pos, n);
                out.flush();
                long limit = limits.getOrDefault(path, 0L);
                if (limit > 0) {
                    Thread.sleep(Math.max(1, n * 1000L / limit));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away (cancelled, killed): normal in these tests.
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
