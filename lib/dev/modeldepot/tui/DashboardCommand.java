package dev.modeldepot.tui;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.VersionProvider;
import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.demo.DemoCatalog;
import dev.modeldepot.demo.DemoOrigin;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.service.ServiceClient;
import dev.modeldepot.service.ServiceDiscovery;
import dev.modeldepot.service.ServiceEndpoint;
import dev.modeldepot.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model-dashboard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Full-screen dashboard: queue, progress, cache usage and verification state.",
        footer = {"", "Without a terminal, use check-models (report) or download-model-with-progress (fetch).",
                "Exit codes: 0 quit, 1 crashed (log path printed), 2 bad input or no terminal."})
public class DashboardCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--demo", description = "Serve a generated demo registry from an embedded origin on 127.0.0.1 and download it "
            + "into a temporary store (or --cache-dir).")
    boolean demo;

    @Option(names = "--budget", paramLabel = "SIZE", description = "Cache budget shown in the cache pane, e.g. 50G "
            + "(default: the store's, set with model-store du --set-budget; with --demo, a little above the demo's size).")
    String budget;

    @Option(names = "--max-active", paramLabel = "N", description = "Downloads running at once (default: 1, with --demo 2).")
    Integer maxActive;

    @Option(names = "--bundle", paramLabel = "PATH", description = "An offline bundle (folder, .tar or .tar.part1) the queue installs "
            + "from first, before the network (default: $MODELDEPOT_BUNDLE); the header names it.")
    Path bundle;

    @Option(names = "--demo-size", hidden = true, paramLabel = "SIZE", description = "Total size of the demo files (default 350M).")
    String demoSize;

    @Option(names = "--demo-rate", hidden = true, paramLabel = "RATE", description = "Per-connection cap of the demo origin, 0 for none (default 8M).")
    String demoRate;

    @Override
    public Integer call() throws IOException {
        if (maxActive != null && maxActive < 1) {
            // Checked before the terminal: 0 would queue downloads that never start.
            throw DepotException.badInput("--max-active must be at least 1 (got " + maxActive + ")");
        }
        if (System.console() == null && !"1".equals(common.env.get("MODELDEPOT_FORCE_TTY"))) {
            throw DepotException.badInput("this full-screen dashboard needs an interactive terminal and none is attached; "
                    + "use check-models for a report or download-model-with-progress to fetch models without one");
        }
        Clock clock = Clock.systemDefaultZone();
        long budgetBytes = budget != null ? Sizes.parse(budget) : 0;
        DemoOrigin origin = null;
        Path tempStore = null;
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Registry registry;
            Path storeRoot;
            if (demo) {
                long size = Sizes.parse(demoSize != null ? demoSize : common.env.getOrDefault("MODELDEPOT_DEMO_SIZE", "350M"));
                long rate = Sizes.parse(demoRate != null ? demoRate : common.env.getOrDefault("MODELDEPOT_DEMO_RATE", "8M"));
                DemoCatalog catalog = DemoCatalog.create(size, 42);
                if (!common.quiet) {
                    // Before the screen is up, so this is the one line the demo prints to the terminal.
                    System.err.println("model-dashboard: generating " + Sizes.human(catalog.totalSize())
                            + " of demo files and their SHA-256 on 127.0.0.1...");
                }
                origin = new DemoOrigin(catalog, rate);
                registry = catalog.registry(origin.uri());
                if (common.cacheDir == null) {
                    tempStore = Files.createTempDirectory("model-dashboard-demo-");
                }
                storeRoot = tempStore != null ? tempStore : common.storeRoot();
                if (budget == null) {
                    budgetBytes = catalog.totalSize() * 11 / 10;
                }
            } else {
                registry = common.loadRegistry();
                storeRoot = common.storeRoot();
            }
            // The same wiring as every app's: the API's store and installer (downloads recorded for the dashboard).
            Path bundlePath = bundle != null ? bundle : common.env.get("MODELDEPOT_BUNDLE") == null ? null : Path.of(common.env.get("MODELDEPOT_BUNDLE"));
            ModelDepot depot = ModelDepot.builder().registry(registry).cacheDir(storeRoot).app(StoreBackend.APP)
                    .env(common.env).clock(clock).bundle(bundlePath).build();
            open.add(depot);
            ModelStore store = depot.store();
            int active = maxActive != null ? maxActive : demo ? 2 : 1;
            // A running service owns the store's queue: act through it rather than start a second
            // downloader. The demo's registry is its own, which a service would not know.
            Optional<ServiceEndpoint> service = demo ? Optional.empty() : ServiceDiscovery.find(storeRoot);
            if (bundlePath != null && service.isPresent()) {
                throw DepotException.badInput("--bundle needs the dashboard's own queue, but model-store serve runs this store's queue; "
                        + "use check-models --download --bundle, or stop the service");
            }
            QueueControl queue;
            if (service.isPresent()) {
                ServiceQueue remote = new ServiceQueue(new ServiceClient(service.get()), clock);
                open.add(remote);
                queue = remote;
            } else {
                queue = localQueue(depot, active, open);
            }
            StoreBackend backend = new StoreBackend(registry, store, queue, clock, budgetBytes, common.offline && !demo);
            open.add(0, backend);
            if (demo) {
                for (Model m : registry.models()) {
                    String key = m.id() + ":" + m.defaultVariant().id();
                    if (backend.load().models().stream().noneMatch(r -> r.key().equals(key) && r.state() == ModelRow.State.READY)) {
                        queue.enqueue(key, 0);
                    }
                }
            }
            // Closing the terminal restores echo and line mode now, not only in Lanterna's shutdown hook.
            try (Terminal terminal = new DefaultTerminalFactory()
                    .setForceTextTerminal(true)
                    .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
                    .createTerminal()) {
                return DashboardApp.run(terminal, backend, clock, Path.of(System.getProperty("java.io.tmpdir")),
                        !common.env.containsKey("NO_COLOR"));
            }
        } finally {
            for (AutoCloseable c : open) {
                closeQuietly(c);
            }
            if (origin != null) {
                origin.close();
            }
            if (tempStore != null) {
                try {
                    AtomicFiles.deleteTree(tempStore);
                } catch (IOException e) {
                    // A leftover temporary demo store is harmless; the OS cleans the temp dir.
                }
            }
        }
    }

    /**
     * The store's own queue, run here: its state file is in the store, so a restarted dashboard
     * finds its queue and resumes it. With --offline it is shown but not started.
     */
    private QueueControl localQueue(ModelDepot depot, int active, List<AutoCloseable> open) {
        // Opens the bundle now: a bad one is exit 2 before any install of the queue could trip on it.
        String source = depot.bundleSource().map(b -> "bundle " + b).orElse(null);
        DownloadQueue queue = depot.queue(active);
        open.add(0, queue); // closed before the depot, whose threads and bundle its installs use
        if (!common.offline || demo) {
            queue.start();
        }
        return QueueControl.of(queue, source);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Shutting down: the queue saved what it could; nothing left to tell the user here.
        }
    }
}
