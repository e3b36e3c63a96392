package dev.modeldepot.service;

import com.sun.net.httpserver.HttpServer;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Version;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.registry.Registry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The long-lived download service: the queue plus the admin API on the JDK's HTTP server, and the
 * discovery file that lets other tools find it. What it installs with and how it sees the store
 * come in through the constructor (see {@link ServiceWiring}).
 */
public final class DownloadService implements AutoCloseable {
    /**
     * The JDK's server reads a request's line and headers on an executor thread, so every client
     * that sends half a request and idles holds one thread until {@code sun.net.httpserver.maxReqTime}
     * (set by the commands, see cli.Cli) drops it. With 8 threads, 8 such clients stalled every
     * other request, /api/health included. Threads are made as requests come, up to this many,
     * and end after 30 s idle, so a few dozen slow clients leave the rest answered at once.
     */
    private static final int HTTP_THREADS = 256;

    /**
     * @param bind address to listen on; anything but loopback makes every endpoint need the token
     * @param port 0 picks a free port
     */
    public record Config(Path storeRoot, InetAddress bind, int port) {}

    private final Config config;
    private final Registry registry;
    private final DownloadQueue queue;
    private final StoreView store;
    private final ServiceToken token;
    private final String disabledReason;
    private final Clock clock;
    private final PrintStream log;
    private HttpServer server;
    private ExecutorService httpThreads;
    private ServiceEndpoint endpoint;
    private boolean closed;

    public DownloadService(Config config, Registry registry, DownloadQueue queue, StoreView store, ServiceToken token,
                           Map<String, String> env, Clock clock, PrintStream log) {
        this.config = config;
        this.registry = registry;
        this.queue = queue;
        this.store = store;
        this.token = token;
        this.disabledReason = disabledReason(env);
        this.clock = clock;
        this.log = log;
    }

    /** Null when downloads are allowed, else the sentence the start endpoint answers 403 with. */
    static String disabledReason(Map<String, String> env) {
        String setting = dev.modeldepot.core.DownloadSwitch.setting(env);
        return setting == null ? null : "model downloads are disabled on this machine (" + setting + ")";
    }

    public boolean downloadsEnabled() {
        return disabledReason == null;
    }

    public boolean tokenForEveryEndpoint() {
        return !config.bind().isLoopbackAddress();
    }

    /** Starts the queue and the HTTP server, then writes the discovery file. */
    public synchronized ServiceEndpoint start() throws IOException {
        Optional<ServiceEndpoint> running = ServiceDiscovery.find(config.storeRoot());
        if (running.isPresent()) {
            throw DepotException.failed("a service is already running for this store at " + running.get().url()
                    + " (pid " + running.get().pid() + ")");
        }
        if (downloadsEnabled()) {
            queue.addListener(new TransitionLog(log));
            queue.start();
        }
        Instant startedAt = clock.instant();
        try {
            server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
        } catch (BindException e) {
            queue.close();
            throw DepotException.failed("cannot listen on " + config.bind().getHostAddress() + ":" + config.port() + " ("
                    + e.getMessage() + "); choose another --port");
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                dev.modeldepot.core.Threads.daemon("http"));
        pool.allowCoreThreadTimeOut(true);
        httpThreads = pool;
        server.setExecutor(httpThreads);
        server.createContext("/", new ApiHandler(registry, queue, store, token, tokenForEveryEndpoint(), disabledReason, startedAt,
                new HostCheck(config.bind())));
        server.start();
        int port = server.getAddress().getPort();
        String bind = config.bind().getHostAddress();
        endpoint = new ServiceEndpoint(ServiceDiscovery.localUrl(bind, port), port, bind, ProcessHandle.current().pid(),
                startedAt, Version.NUMBER, token.file().toAbsolutePath().toString());
        ServiceDiscovery.write(config.storeRoot(), endpoint);
        return endpoint;
    }

    /** The address and port the server really listens on (the real port when 0 was asked); null before start. */
    public synchronized InetSocketAddress boundAddress() {
        // The JDK reports a dual-stack socket bound to 0.0.0.0 as [::]: the address asked for is the one bound.
        return server == null ? null : new InetSocketAddress(config.bind(), server.getAddress().getPort());
    }

    /**
     * A clean stop: no new requests, running installs stopped with their partials kept, the queue
     * saved with them as queued, the discovery file removed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.stop(1);
        }
        queue.close();
        ServiceDiscovery.remove(config.storeRoot(), ProcessHandle.current().pid());
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
    }
}
