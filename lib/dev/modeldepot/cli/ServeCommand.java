package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Version;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.service.DownloadService;
import dev.modeldepot.service.ServiceDiscovery;
import dev.modeldepot.service.ServiceEndpoint;
import dev.modeldepot.service.ServiceToken;
import dev.modeldepot.service.ServiceWiring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the download queue as a background service with an HTTP admin API.",
                "Listens on loopback only unless --bind names another address; then every endpoint needs the token.",
                "Stop it with SIGTERM (or Ctrl-C): the queue and every partial download are saved."})
public class ServeCommand implements Callable<Integer> {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8765", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "IP address to listen on (default: ${DEFAULT-VALUE}). Anything but loopback requires the token on every endpoint.")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token file, created owner-only on first start (default: <store>/service/token).")
    Path tokenFile;

    /** --app / MODELDEPOT_APP: the app recorded as a user (pin) of what the service installs; none by default. */
    @Mixin
    AppOption app;

    @Option(names = "--max-active", paramLabel = "N", defaultValue = "1", description = "Downloads running at once (default: ${DEFAULT-VALUE}).")
    int maxActive;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommonOptions common = CommonOptions.of(spec);
        if (port < 0 || port > 65535) {
            throw DepotException.badInput("--port must be between 0 and 65535, not " + port);
        }
        if (maxActive < 1 || maxActive > 16) {
            throw DepotException.badInput("--max-active must be between 1 and 16, not " + maxActive);
        }
        InetAddress address = address(bind);
        String appName = app.resolve(common);
        Path storeRoot = common.storeRoot();
        Registry registry = common.loadRegistry();
        ServiceToken token = tokenFile != null ? ServiceToken.loadOrCreate(tokenFile.toAbsolutePath())
                : ServiceToken.loadOrCreateInOwnFolder(ServiceDiscovery.serviceDir(storeRoot).resolve("token"));
        ServiceWiring.Parts parts = ServiceWiring.create(storeRoot, registry, common.env, Clock.systemUTC(), appName, common.offline);
        DownloadQueue queue = ServiceWiring.queue(storeRoot, parts.installer(), maxActive, Clock.systemUTC());
        DownloadService service = new DownloadService(new DownloadService.Config(storeRoot, address, port), registry, queue,
                parts.store(), token, common.env, Clock.systemUTC(), System.out);
        // Registered before start, so a SIGTERM at any moment saves the queue and the partials.
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean up = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            if (up.get()) {
                System.out.println("model-store serve: stopped" + (service.downloadsEnabled() ? "; queue saved in " + queue.stateFile() : ""));
                System.out.flush();
            }
            stopped.countDown();
        }, "serve-shutdown"));
        ServiceEndpoint endpoint = service.start();
        up.set(true);
        var console = common.console();
        // The address really bound, with the real port (0 asks for a free one); from this machine, the URL to use.
        String bound = hostAndPort(service.boundAddress());
        console.info("model-store serve: " + (address.isLoopbackAddress()
                ? "listening on " + endpoint.url() + " (store " + storeRoot + ")"
                : "listening on " + bound + " (from this machine: " + endpoint.url() + "; store " + storeRoot + ")"));
        console.info("  token: " + token.file() + " (" + token.fingerprint() + (token.created() ? ", new" : "") + "); send it as "
                + "\"Authorization: Bearer $(cat " + token.file() + ")\"");
        console.info("  queue: " + queue.stateFile() + ", at most " + maxActive + " download(s) at a time");
        if (token.tightened()) {
            console.warn("the token file was readable by others; it is owner-only now");
        }
        if (token.folderTightened()) {
            console.warn("the token's folder " + token.file().getParent() + " was open to others; it is owner-only (rwx------) now");
        }
        if (!service.downloadsEnabled()) {
            console.warn("model downloads are disabled (DISABLE_MODEL_DOWNLOADS): the service only reports, and state-changing requests answer 403");
        }
        if (service.tokenForEveryEndpoint()) {
            console.warn("listening on " + bound + ", beyond this machine: every endpoint requires the token");
        }
        stopped.await();
        return 0;
    }

    /** "127.0.0.1:8765", "0.0.0.0:41234", "[::]:8765". */
    private static String hostAndPort(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Only IP literals (no DNS lookups) and "localhost". */
    private static InetAddress address(String text) {
        if (text.equals("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        if (!IP_LITERAL.matcher(text).matches()) {
            throw DepotException.badInput("--bind takes an IP address such as 127.0.0.1 or 0.0.0.0, not '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw DepotException.badInput("--bind takes an IP address such as 127.0.0.1 or 0.0.0.0, not '" + text + "'");
        }
    }
}
