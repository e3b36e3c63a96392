package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the engine downloads. Immutable; start from {@link #defaults(Map)} and change fields with {@link #toBuilder()}.
 *
 * @param connections     parallel range connections per file; 0 picks by size
 * @param limitRate       overall bytes per second for one file, 0 for no limit
 * @param retries         failed requests tolerated in a row (without progress) before giving up
 * @param stallTimeout    a connection that delivers nothing for this long is cancelled and its range re-queued
 * @param headers         extra request headers ("Name: value"), sent only to the URL's own host
 * @param token           bearer token given on the command line (null for none)
 * @param tokenHost       origin the token belongs to ("https://host:port"); null means each request's primary URL
 * @param hfToken         $HF_TOKEN, sent only to {@code hfEndpoint}'s origin
 * @param hfEndpoint      the Hugging Face endpoint ($HF_ENDPOINT or the public one)
 * @param disabled        DISABLE_MODEL_DOWNLOADS is set: every download refuses
 * @param checkFreeSpace  check free space before starting (--force turns it off)
 * @param segmentSize     bytes per work item; 0 picks by size
 * @param lockWait        longest wait for another process downloading the same file
 * @param clock           for speed samples and backoff
 * @param http            the client (redirects must be NEVER: the engine follows them itself)
 * @param writer          how bytes reach the partial file (a seam for disk-full tests)
 * @param limits          bounds against hostile servers: body size, minimum speed, deadline, redirects
 * @param directWritesAbove files larger than this are written with O_DIRECT where the file system allows it
 *                        ({@link #DIRECT_WRITES_ABOVE}; 0 for every file, -1 for none: $MODEL_DEPOT_DIRECT_IO)
 */
public record DownloadSettings(int connections, long limitRate, int retries, Duration stallTimeout,
                               List<String> headers, String token, String tokenHost, String hfToken,
                               URI hfEndpoint, boolean disabled, boolean checkFreeSpace, long segmentSize,
                               Duration lockWait, Clock clock, HttpClient http, PartialWriter writer, Limits limits,
                               long directWritesAbove) {
    /**
     * Up to this size a download goes through the page cache; above it, with O_DIRECT. Measured
     * on the 2-core bench machine, interleaved medians of 5 (docs/design/download.md, round 4):
     * 64 MiB and 256 MiB cost 5-8 % less time and CPU through the page cache; 512 MiB took 25 %
     * less time and 28 % less CPU with O_DIRECT, 1 GiB 7 % and 23 %, 4 GiB about half (past the
     * kernel's dirty-page thresholds it throttles writers and reclaims).
     */
    public static final long DIRECT_WRITES_ABOVE = 256L << 20;

    public static final URI DEFAULT_HF_ENDPOINT = URI.create("https://huggingface.co");

    public DownloadSettings {
        headers = List.copyOf(headers);
        limits = limits == null ? Limits.DEFAULT : limits;
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.substring(0, colon).isBlank()) {
                throw DepotException.badInput("header '" + h.split(":")[0] + "' is not in the form 'Name: value'");
            }
        }
        if (connections < 0 || connections > 64) {
            throw DepotException.badInput("--connections must be between 1 and 64 (0 picks by size)");
        }
        if (retries < 0) {
            throw DepotException.badInput("--retries must not be negative");
        }
    }

    /** Defaults from the environment: HF_HUB_DOWNLOAD_TIMEOUT, HF_DOWNLOAD_MAX_RETRIES, HF_TOKEN, HF_ENDPOINT, proxies. */
    public static DownloadSettings defaults(Map<String, String> env) {
        Duration timeout = Duration.ofSeconds(30);
        String t = env.get("HF_HUB_DOWNLOAD_TIMEOUT");
        if (t != null && !t.isBlank()) {
            timeout = Duration.ofMillis((long) (1000 * number(t, "HF_HUB_DOWNLOAD_TIMEOUT")));
        }
        int retries = 8;
        String r = env.get("HF_DOWNLOAD_MAX_RETRIES");
        if (r != null && !r.isBlank()) {
            retries = (int) number(r, "HF_DOWNLOAD_MAX_RETRIES");
        }
        String hfToken = blankToNull(env.get("HF_TOKEN"));
        URI endpoint = DEFAULT_HF_ENDPOINT;
        String e = blankToNull(env.get("HF_ENDPOINT"));
        if (e != null) {
            endpoint = URI.create(e.trim());
        }
        boolean off = dev.modeldepot.core.DownloadSwitch.disabled(env);
        return new DownloadSettings(0, 0, retries, timeout, List.of(), null, null, hfToken, endpoint, off, true, 0,
                Duration.ofMinutes(30), Clock.systemUTC(), client(env, timeout), PartialWriter.DIRECT, Limits.DEFAULT,
                directWritesAbove(env.get("MODEL_DEPOT_DIRECT_IO")));
    }

    /** $MODEL_DEPOT_DIRECT_IO: 0 never writes with O_DIRECT, 1 always does, unset leaves it to the size. */
    static long directWritesAbove(String value) {
        if (value == null || value.isBlank()) {
            return DIRECT_WRITES_ABOVE;
        }
        return switch (value.trim()) {
            case "0" -> -1;
            case "1" -> 0;
            default -> throw DepotException.badInput("MODEL_DEPOT_DIRECT_IO must be 0 (never write with O_DIRECT) or 1 (always); it is '"
                    + dev.modeldepot.core.Printable.of(value) + "'");
        };
    }

    /**
     * The JDK client for the small requests (registries, the Hub's and OCI registries' APIs):
     * HTTP/1.1, no redirects followed for us, proxies from the environment, built on first use
     * ({@link LazyHttpClient}). The download engine's transfers do not go through it: they use
     * {@link HttpFetcher}'s blocking connections, and read only this client's proxy selector and
     * connect timeout.
     */
    public static HttpClient client(Map<String, String> env, Duration connectTimeout) {
        EnvProxies proxies = new EnvProxies(env);
        return new LazyHttpClient(proxies, connectTimeout, () -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .proxy(proxies)
                .build());
    }

    /** A builder holding these settings, to change a few of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Every field of {@link DownloadSettings}, changed one at a time; {@link #build()} validates. */
    public static final class Builder {
        private int connections;
        private long limitRate;
        private int retries;
        private Duration stallTimeout;
        private List<String> headers;
        private String token;
        private String tokenHost;
        private String hfToken;
        private URI hfEndpoint;
        private boolean disabled;
        private boolean checkFreeSpace;
        private long segmentSize;
        private Duration lockWait;
        private Clock clock;
        private HttpClient http;
        private PartialWriter writer;
        private long directWritesAbove;
        private Limits limits;

        private Builder(DownloadSettings s) {
            connections = s.connections;
            limitRate = s.limitRate;
            retries = s.retries;
            stallTimeout = s.stallTimeout;
            headers = s.headers;
            token = s.token;
            tokenHost = s.tokenHost;
            hfToken = s.hfToken;
            hfEndpoint = s.hfEndpoint;
            disabled = s.disabled;
            checkFreeSpace = s.checkFreeSpace;
            segmentSize = s.segmentSize;
            lockWait = s.lockWait;
            clock = s.clock;
            http = s.http;
            writer = s.writer;
            directWritesAbove = s.directWritesAbove;
            limits = s.limits;
        }

        public Builder connections(int value) {
            connections = value;
            return this;
        }

        public Builder limitRate(long value) {
            limitRate = value;
            return this;
        }

        public Builder retries(int value) {
            retries = value;
            return this;
        }

        public Builder stallTimeout(Duration value) {
            stallTimeout = value;
            return this;
        }

        public Builder headers(List<String> value) {
            headers = value;
            return this;
        }

        /** A token for one origin; null origin means "the primary URL of each request". */
        public Builder token(String t, String origin) {
            token = t;
            tokenHost = origin;
            return this;
        }

        public Builder hfToken(String value) {
            hfToken = value;
            return this;
        }

        public Builder hfEndpoint(URI value) {
            hfEndpoint = value;
            return this;
        }

        public Builder disabled(boolean value) {
            disabled = value;
            return this;
        }

        public Builder checkFreeSpace(boolean value) {
            checkFreeSpace = value;
            return this;
        }

        public Builder segmentSize(long value) {
            segmentSize = value;
            return this;
        }

        public Builder lockWait(Duration value) {
            lockWait = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public Builder http(HttpClient value) {
            http = value;
            return this;
        }

        public Builder directWritesAbove(long value) {
            directWritesAbove = value;
            return this;
        }

        public Builder writer(PartialWriter value) {
            writer = value;
            return this;
        }

        public Builder limits(Limits value) {
            limits = value;
            return this;
        }

        public DownloadSettings build() {
            return new DownloadSettings(connections, limitRate, retries, stallTimeout, headers, token, tokenHost, hfToken, hfEndpoint, disabled, checkFreeSpace, segmentSize, lockWait, clock, http, writer, limits, directWritesAbove);
        }
    }

    /** Whether the user's {@link #token} belongs to {@code url}'s host by {@link #tokenHost} (false when either is unset). */
    public boolean tokenGoesTo(URI url) {
        return token != null && tokenHost != null && TokenScope.parse(tokenHost).covers(url);
    }

    /** Connections for a file of this size: one for small files, up to 16 for big ones. */
    public int connectionsFor(long size) {
        if (connections > 0) {
            return connections;
        }
        if (size < 0 || size < 4L << 20) {
            return 1;
        }
        if (size < 64L << 20) {
            return 4;
        }
        return size < 512L << 20 ? 8 : 16;
    }

    /**
     * Work item size: eight per connection, between 1 and 32 MB, so the tail is shared when
     * several connections fetch (a slow connection holds up at most one item at the end). The
     * number of requests does not follow from it: the only worker made for a transfer runs one request on
     * through the pending items ({@link RangeWorker#RUN_BYTES}). Progress inside an item is kept
     * across a kill, so its size costs nothing there.
     */
    public long segmentSizeFor(long size, int conns) {
        if (segmentSize > 0) {
            return segmentSize;
        }
        long s = size / Math.max(1, conns * ITEMS_PER_CONNECTION);
        return Math.max(1L << 20, Math.min(MAX_SEGMENT, s));
    }

    /** Work items per connection when the size decides (see {@link #segmentSizeFor}). */
    static final long ITEMS_PER_CONNECTION = 8;
    /** The largest work item: what a slow connection can hold up at the end. */
    static final long MAX_SEGMENT = 32L << 20;

    private static double number(String text, String name) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw DepotException.badInput(name + " must be a number, not '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** https_proxy/http_proxy (either case) with no_proxy; loopback never goes through a proxy. */
    static final class EnvProxies extends ProxySelector {
        private final Map<String, String> env;

        EnvProxies(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public List<Proxy> select(URI uri) {
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1") || noProxy(host)) {
                return List.of(Proxy.NO_PROXY);
            }
            String var = "https".equalsIgnoreCase(uri.getScheme()) ? "https_proxy" : "http_proxy";
            String value = get(var);
            if (value == null) {
                return List.of(Proxy.NO_PROXY);
            }
            URI p = URI.create(value.contains("://") ? value : "http://" + value);
            int port = p.getPort() > 0 ? p.getPort() : 8080;
            return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
        }

        private boolean noProxy(String host) {
            String list = get("no_proxy");
            if (list == null) {
                return false;
            }
            for (String entry : list.split(",")) {
                String e = entry.trim().toLowerCase(Locale.ROOT);
                if (e.equals("*") || (!e.isEmpty() && (host.equals(e.replaceFirst("^\\.", "")) || host.endsWith(e.startsWith(".") ? e : "." + e)))) {
                    return true;
                }
            }
            return false;
        }

        private String get(String name) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                v = env.get(name.toUpperCase(Locale.ROOT));
            }
            return v == null || v.isBlank() ? null : v.trim();
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // Nothing to remember: the request itself fails and is retried.
        }
    }
}
