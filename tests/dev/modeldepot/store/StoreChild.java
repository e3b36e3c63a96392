package dev.modeldepot.store;

import dev.modeldepot.cli.Cli;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.RegistryLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * A second process working on the same store, for the concurrency tests:
 * {@code install ROOT REGISTRY KEY} (through the loopback origin), {@code engine ROOT REGISTRY KEY}
 * (through the real download engine, printing one line per event) or {@code cli ARGS...} (model-store).
 */
public final class StoreChild {
    public static void main(String[] args) {
        try {
            if (args[0].equals("install")) {
                ModelStore store = ModelStore.open(Path.of(args[1]), Clock.systemUTC(), StoreOptions.defaults(System.getenv()));
                store.install(RegistryLoader.load(args[2], true).resolve(args[3]), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
                System.out.println("installed " + args[3]);
                System.exit(0);
            }
            if (args[0].equals("engine")) {
                ModelStore store = ModelStore.open(Path.of(args[1]), Clock.systemUTC(), StoreOptions.defaults(System.getenv()));
                DownloadListener print = e -> {
                    String what = e instanceof DownloadEvent.Progress p ? " bytes=" + p.bytes()
                            : e instanceof DownloadEvent.Started st ? " bytes=" + st.bytes()
                            : e instanceof DownloadEvent.Retry r ? " " + r.reason() : "";
                    synchronized (System.out) {
                        System.out.println(e.getClass().getSimpleName() + what);
                        System.out.flush();
                    }
                };
                FileFetcher engine = Fetchers.of(new DownloadEngine(DownloadSettings.defaults(System.getenv())));
                store.install(RegistryLoader.load(args[2], true).resolve(args[3]), engine, print, new Cancellation(), null);
                System.out.println("installed " + args[3]);
                System.exit(0);
            }
            System.exit(Cli.execute(new ModelStoreCommand(), Arrays.copyOfRange(args, 1, args.length)));
        } catch (DepotException e) {
            System.err.println("child: " + e.getMessage());
            System.exit(e.exitCode().code);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
