package dev.modeldepot.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP origin on 127.0.0.1 (random port) that serves byte arrays with ETag, Range,
 * If-Range, 206 and 416, and injects the faults real CDNs show. Use:
 * <pre>
 * try (FaultOrigin origin = FaultOrigin.start()) {
 *     FaultOrigin.Resource r = origin.serve("/m.gguf", FaultOrigin.randomBytes(4 &lt;&lt; 20, 1));
 *     r.dropAfter(100_000, 2);                  // the next 2 responses break after 100 kB
 *     URI url = origin.url("/m.gguf");          // or origin.url("localhost", "/m.gguf"): another host name
 *     ... download ...
 *     origin.bytesSent("/m.gguf"); origin.requests("/m.gguf");  // what went over the wire
 * }
 * </pre>
 * Fault switches with a count apply to that many upcoming responses (ranged or not), then stop;
 * the byte faults (drop, stall, wrong bytes) skip one-byte answers such as a size probe's bytes=0-0.
 * Every request is recorded (path, Host header, all headers) for assertions such as
 * "Authorization was not sent after the cross-host redirect".
 */
public final class FaultOrigin implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** One recorded request. Header names are lower case. */
    public record Request(String path, String host, Map<String, List<String>> headers) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-origin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FaultOrigin(HttpServer server) {
        this.server = server;
    }

    public static FaultOrigin start() throws IOException {
        return start("127.0.0.1");
    }

    /** Listening on another address, e.g. "0.0.0.0" to be reached through a non-loopback address too. */
    public static FaultOrigin start(String bindAddress) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 64);
        FaultOrigin origin = new FaultOrigin(server);
        server.createContext("/", origin::handle);
        server.setExecutor(origin.pool);
        server.start();
        return origin;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:PORT/path */
    public URI url(String path) {
        return url("127.0.0.1", path);
    }

    /** The same server under another host name ("localhost"), for cross-host redirects and token scoping. */
    public URI url(String host, String path) {
        return URI.create("http://" + host + ":" + port() + path);
    }

    /** Serves {@code body} at {@code path} with a strong ETag derived from its content. */
    public Resource serve(String path, byte[] body) {
        Resource r = new Resource(path, body);
        resources.put(path, r);
        return r;
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Body bytes written to clients for this path (what went over the wire, including broken responses). */
    public long bytesSent(String path) {
        Resource r = resources.get(path);
        return r == null ? 0 : r.sent.get();
    }

    public int requests(String path) {
        return (int) requests.stream().filter(q -> q.path.equals(path)).count();
    }

    public List<Request> recorded() {
        return List.copyOf(requests);
    }

    public List<Request> recorded(String path) {
        return requests.stream().filter(q -> q.path.equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow(); // wakes stalled handlers
    }

    /** A served file and its fault switches; all setters are thread-safe and return this. */
    public static final class Resource {
        final String path;
        final AtomicLong sent = new AtomicLong();
        private volatile byte[] body;
        private volatile String etag;
        private volatile boolean ignoreRange;
        private volatile URI redirect;
        private volatile long bytesPerSecond;
        private volatile long rangeCap = -1;
        private volatile long dropAfter = -1;
        private final AtomicInteger drops = new AtomicInteger();
        private volatile long stallAfter = -1;
        private final AtomicInteger stalls = new AtomicInteger();
        private volatile int failStatus;
        private volatile String retryAfter;
        private final AtomicInteger fails = new AtomicInteger();
        private volatile boolean failsSkipProbes;
        private final AtomicInteger wrong = new AtomicInteger();
        private volatile long truncateTo = -1;
        // Hostile behaviours (docs/design/security.md).
        private volatile boolean endless;
        private volatile boolean noLength;
        private volatile int trickleBytes;
        private volatile long trickleEveryMillis;
        private volatile int headerPadding;
        private volatile String rawLocation;
        private volatile String contentRangeTotal;

        Resource(String path, byte[] body) {
            this.path = path;
            content(body);
        }

        /** New content and a new ETag (as when the file changes on the server). */
        public Resource content(byte[] b) {
            body = b;
            etag = "\"" + sha256(b).substring(0, 16) + "\"";
            return this;
        }

        /** Same bytes, another ETag. */
        public Resource etag(String newEtag) {
            etag = newEtag;
            return this;
        }

        public String etag() {
            return etag;
        }

        /** Answer ranged requests with 200 and the whole body, as some CDNs do. */
        public Resource ignoreRange(boolean on) {
            ignoreRange = on;
            return this;
        }

        /** 302 to {@code to} instead of serving (null to stop). */
        public Resource redirectTo(URI to) {
            redirect = to;
            return this;
        }

        /** Per-connection speed cap (0 = none), like nginx's limit_rate. */
        public Resource bytesPerSecond(long rate) {
            bytesPerSecond = rate;
            return this;
        }

        /** The next {@code times} responses close the connection after {@code bytes} body bytes. */
        public Resource dropAfter(long bytes, int times) {
            dropAfter = bytes;
            drops.set(times);
            return this;
        }

        /** The next {@code times} responses stop sending after {@code bytes} but keep the connection open. */
        public Resource stallAfter(long bytes, int times) {
            stallAfter = bytes;
            stalls.set(times);
            return this;
        }

        /** The next {@code times} requests get {@code status} (503, 429, 404...) with an optional Retry-After. */
        public Resource failWith(int status, int times, String retryAfterValue) {
            failStatus = status;
            retryAfter = retryAfterValue;
            failsSkipProbes = false;
            fails.set(times);
            return this;
        }

        /** Like {@link #failWith}, but size probes (Range: bytes=0-0) are answered normally. */
        public Resource failAfterProbeWith(int status, int times, String retryAfterValue) {
            failWith(status, times, retryAfterValue);
            failsSkipProbes = true;
            return this;
        }

        /** The next {@code times} responses carry corrupted bytes (same length, same headers). */
        public Resource wrongBytes(int times) {
            wrong.set(times);
            return this;
        }

        /**
         * Never stop sending: the body repeats forever, without Content-Length and ignoring Range
         * (a server that would fill the disk).
         */
        public Resource endless(boolean on) {
            endless = on;
            return this;
        }

        /** Send the body without Content-Length (chunked), so its size is unknown until it ends. */
        public Resource noLength(boolean on) {
            noLength = on;
            return this;
        }

        /** Send {@code bytes} at a time with {@code everyMillis} between them (0 to stop trickling). */
        public Resource trickle(int bytes, long everyMillis) {
            trickleBytes = bytes;
            trickleEveryMillis = everyMillis;
            return this;
        }

        /** Add this many bytes of response headers (many X-Pad headers). */
        public Resource headerPadding(int bytes) {
            headerPadding = bytes;
            return this;
        }

        /** 302 with exactly this Location text, however malformed (null to stop). */
        public Resource rawLocation(String location) {
            rawLocation = location;
            return this;
        }

        /** Answer ranged requests with this text as the Content-Range total (null to stop). */
        public Resource contentRangeTotal(String total) {
            contentRangeTotal = total;
            return this;
        }

        /** Answer a range with at most {@code bytes} (a proxy or CDN that caps range answers; -1 to stop). */
        public Resource capRanges(long bytes) {
            rangeCap = bytes;
            return this;
        }

        /** Serve only the first {@code bytes} as if the file were that long (-1 to stop). */
        public Resource truncate(long bytes) {
            truncateTo = bytes;
            return this;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Map<String, List<String>> headers = new java.util.TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
        requests.add(new Request(path, ex.getRequestHeaders().getFirst("Host"), headers));
        Resource r = resources.get(path);
        try (ex) {
            if (r == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (r.redirect != null || r.rawLocation != null) {
                ex.getResponseHeaders().add("Location", r.rawLocation != null ? r.rawLocation : r.redirect.toString());
                ex.sendResponseHeaders(302, -1);
                return;
            }
            for (int i = 0; i * 100 < r.headerPadding; i++) {
                ex.getResponseHeaders().add("X-Pad-" + i, "p".repeat(90));
            }
            if (r.endless) {
                ex.getResponseHeaders().add("Accept-Ranges", "none");
                ex.sendResponseHeaders(200, 0);
                sendForever(ex, r);
                return;
            }
            boolean probe = "bytes=0-0".equals(ex.getRequestHeaders().getFirst("Range"));
            if (!(probe && r.failsSkipProbes) && r.fails.get() > 0 && r.fails.getAndDecrement() > 0) {
                if (r.retryAfter != null) {
                    ex.getResponseHeaders().add("Retry-After", r.retryAfter);
                }
                ex.sendResponseHeaders(r.failStatus, -1);
                return;
            }
            byte[] body = r.body;
            long total = r.truncateTo >= 0 ? Math.min(r.truncateTo, body.length) : body.length;
            String etag = r.etag;
            ex.getResponseHeaders().add("ETag", etag);
            ex.getResponseHeaders().add("Accept-Ranges", r.ignoreRange ? "none" : "bytes");
            long from = 0;
            long to = total - 1;
            int status = 200;
            String range = ex.getRequestHeaders().getFirst("Range");
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            String totalText = r.contentRangeTotal != null ? r.contentRangeTotal : String.valueOf(total);
            if (range != null && !r.ignoreRange && (ifRange == null || ifRange.equals(etag))) {
                Matcher m = RANGE.matcher(range.trim());
                if (m.matches()) {
                    from = Long.parseLong(m.group(1));
                    to = m.group(2).isEmpty() ? total - 1 : Math.min(total - 1, Long.parseLong(m.group(2)));
                    if (r.rangeCap > 0) {
                        to = Math.min(to, from + r.rangeCap - 1);
                    }
                    if (from >= total) {
                        ex.getResponseHeaders().add("Content-Range", "bytes */" + totalText);
                        ex.sendResponseHeaders(416, -1);
                        return;
                    }
                    status = 206;
                    ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + totalText);
                }
            }
            long length = to - from + 1;
            ex.sendResponseHeaders(status, length == 0 ? -1 : r.noLength ? 0 : length);
            send(ex, r, body, from, length);
        }
    }

    private void send(HttpExchange ex, Resource r, byte[] body, long from, long length) throws IOException {
        long limit = length;
        if (length <= 1) {
            // A one-byte probe (Range: bytes=0-0) does not use up the counted faults below.
            ex.getResponseBody().write(body, (int) from, (int) length);
            r.sent.addAndGet(length);
            return;
        }
        if (r.drops.get() > 0 && r.drops.getAndDecrement() > 0) {
            limit = Math.min(limit, r.dropAfter);
        }
        boolean stall = false;
        if (r.stalls.get() > 0 && r.stalls.getAndDecrement() > 0 && r.stallAfter < length) {
            limit = Math.min(limit, r.stallAfter);
            stall = true;
        }
        boolean corrupt = r.wrong.get() > 0 && r.wrong.getAndDecrement() > 0;
        OutputStream out = ex.getResponseBody();
        long sent = 0;
        byte[] chunk = new byte[r.trickleBytes > 0 ? r.trickleBytes : 16 * 1024];
        long started = System.nanoTime();
        while (sent < limit) {
            int n = (int) Math.min(chunk.length, limit - sent);
            System.arraycopy(body, (int) (from + sent), chunk, 0, n);
            if (corrupt) {
                for (int i = 0; i < n; i += 997) {
                    chunk[i] ^= 0x5a;
                }
            }
            out.write(chunk, 0, n);
            out.flush();
            sent += n;
            r.sent.addAndGet(n);
            if (r.trickleBytes > 0) {
                sleep(r.trickleEveryMillis);
            } else if (r.bytesPerSecond > 0) {
                long due = started + sent * 1_000_000_000L / r.bytesPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleep(wait / 1_000_000);
                }
            }
        }
        if (stall) {
            sleep(Long.MAX_VALUE / 2); // until the client gives up or the origin closes
        }
        if (sent < length) {
            throw new IOException("fault origin: dropping the connection after " + sent + " bytes");
        }
    }

    /** The endless body: the resource's bytes over and over until the client hangs up. */
    private static void sendForever(HttpExchange ex, Resource r) throws IOException {
        OutputStream out = ex.getResponseBody();
        byte[] body = r.body.length == 0 ? new byte[64 * 1024] : r.body;
        int step = r.trickleBytes > 0 ? Math.min(r.trickleBytes, body.length) : body.length;
        while (true) {
            for (int at = 0; at + step <= body.length; at += step) {
                out.write(body, at, step);
                out.flush();
                r.sent.addAndGet(step);
                if (r.trickleBytes > 0) {
                    sleep(r.trickleEveryMillis);
                }
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("fault origin closed");
        }
    }
}
