package dev.modeldepot.cli;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.api.ModelStatus;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import java.nio.file.Path;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.core.Version;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.VariantStatus.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check-models", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The startup check: which models are ready, missing, partial or corrupt, and how much is left to download.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every model is ready", "1:something must be downloaded (or the download failed)",
                "2:bad input", "3:a stored file is corrupt", "130:interrupted during --download (run again to resume)"})
public class CheckModelsCommand implements Callable<Integer> {
    @Mixin
    public CommonOptions common;

    @Mixin
    AppOption app;

    @Parameters(arity = "0..*", paramLabel = "MODEL[:VARIANT]", description = "Models to check (default: --profile, else every model's default variant).")
    List<String> models = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "Check the models of a registry profile.")
    String profile;

    @Mixin
    SourceOptions sources;

    @Option(names = "--deep", description = "Hash every file again instead of trusting unchanged stamps.")
    boolean deep;

    @Option(names = "--download", description = "Offer to download what is missing (asks on a terminal; --yes for scripts).")
    boolean download;

    @Option(names = {"-y", "--yes"}, description = "With --download: do not ask.")
    boolean yes;

    @Option(names = "--bundle", paramLabel = "PATH", description = "An offline bundle (folder, .tar or .tar.part1) that --download installs from first, "
            + "before the network (default: $MODELDEPOT_BUNDLE).")
    Path bundle;

    /** Ctrl-C is wired only when run as a program (tests run the command in-process). */
    public boolean installSignalHook = true;

    /** Bearer tokens OCI registries gave while resolving, for the downloads from those registries. */
    private final dev.modeldepot.sources.RegistryTokens tokens = new dev.modeldepot.sources.RegistryTokens();

    /** Where downloads come from; tests replace it, the lead points Fetchers at the engine. */
    public Function<CommonOptions, FileFetcher> fetchers = c -> c.offline ? Fetchers.forEnvironment(c.env, true)
            : Fetchers.of(dev.modeldepot.download.DownloadSettings.defaults(c.env), tokens);

    @Override
    public Integer call() throws Exception {
        if (profile != null && !models.isEmpty()) {
            throw DepotException.badInput("give models or --profile, not both");
        }
        if (yes && !download) {
            throw DepotException.badInput("--yes only makes sense with --download");
        }
        Registry registry = common.loadRegistry();
        List<VariantRef> named = sources.filtered(profile != null ? registry.resolveProfile(profile)
                : !models.isEmpty() ? registry.resolveAll(models) : registry.defaults());
        // The bundle only matters to --download, and is opened only when a file is missing.
        Path bundlePath = !download ? null : bundle != null ? bundle
                : common.env.get("MODELDEPOT_BUNDLE") == null ? null : Path.of(common.env.get("MODELDEPOT_BUNDLE"));
        try (ModelDepot depot = CommandSupport.builder(common, registry, app.resolve(common)).fetcher(network()).bundle(bundlePath).build()) {
            return run(depot, named);
        }
    }

    private int run(ModelDepot depot, List<VariantRef> named) throws Exception {
        ModelStore store = depot.store();
        Console console = common.console();
        List<VariantRef> refs = new ArrayList<>();
        for (VariantRef ref : named) {
            refs.add(common.offline || ref.variant().resolved() ? ref : current(ref, store));
        }
        List<ModelStatus> statuses = check(depot, refs);
        List<VariantRef> needed = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (!statuses.get(i).ready()) {
                needed.add(refs.get(i));
            }
        }
        if (download && !needed.isEmpty()) {
            long bytes = needed.stream().mapToLong(r -> statuses.get(refs.indexOf(r)).toDownload()).sum();
            if (!common.json) {
                print(console, statuses, store.freeSpace());
            }
            if (confirmed(needed.size(), bytes)) {
                depot.bundleSource().ifPresent(where -> console.info("installing from bundle " + where + " first"));
                int stopped = install(depot, needed, console);
                if (stopped != 0) {
                    return stopped; // Ctrl-C: said once, partials kept; no table of a half-done state
                }
                moved.clear();
                statuses.clear();
                statuses.addAll(check(depot, refs));
            }
        }
        depot.warnings().forEach(console::warn);
        int code = exitCode(statuses);
        if (common.json) {
            console.out().println(Json.pretty(json(statuses, store, code)));
        } else {
            print(console, statuses, store.freeSpace());
        }
        return code;
    }

    /** The network for --download, started at the first file the store and the bundle lack (tests replace {@link #fetchers}). */
    private FileFetcher network() {
        return new FileFetcher() {
            private FileFetcher engine;

            @Override
            public DownloadResult fetch(DownloadRequest r, DownloadListener l, Cancellation c) throws Exception {
                engine = engine == null ? fetchers.apply(common) : engine;
                return engine.fetch(r, l, c);
            }
        };
    }

    /** Sourced variants resolved now (online), so a branch that moved since the install shows as outdated. */
    private final Map<String, String> moved = new LinkedHashMap<>();

    private VariantRef current(VariantRef ref, ModelStore store) {
        VariantRef now = SourceOptions.resolve(ref, false, store, dev.modeldepot.download.DownloadSettings.defaults(common.env), tokens, common.env);
        String installed = store.meta(ref.model().id(), ref.variant().id()).map(m -> m.source()).orElse(null);
        String pinned = now.variant().source().pinnedUri();
        if (installed != null && !installed.equals(pinned)) {
            moved.put(ref.key(), ref.variant().source().uri() + " moved from " + installed.substring(installed.lastIndexOf('@') + 1)
                    + " to " + now.variant().source().pinned());
        }
        return now;
    }

    private List<ModelStatus> check(ModelDepot depot, List<VariantRef> refs) {
        List<ModelStatus> out = new ArrayList<>();
        for (VariantRef r : refs) {
            ModelStatus s = depot.status(r, deep);
            out.add(moved.containsKey(r.key()) && s.ready() ? s.withState(State.OUTDATED) : s);
        }
        return out;
    }

    private boolean confirmed(int n, long bytes) {
        if (yes) {
            return true;
        }
        java.io.Console tty = System.console();
        if (tty == null) {
            throw DepotException.badInput("--download asks before downloading; not on a terminal, pass --yes to go ahead");
        }
        String answer = tty.readLine("Download %d model%s (%s)? [y/N] ", n, n == 1 ? "" : "s", Sizes.human(bytes));
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /**
     * The same live lines as download-model-with-progress (its printer: per file, plus an overall
     * line for a multi-file model) on a terminal's stderr, plain lines elsewhere; Ctrl-C stops
     * the downloads with their partials kept and says so once, as that command does.
     *
     * @return 0, or 130 after Ctrl-C (already reported)
     */
    private int install(ModelDepot depot, List<VariantRef> needed, Console console) throws Exception {
        // Progress goes to stderr under --json, so stdout stays one JSON document.
        java.util.function.Consumer<String> say = line -> {
            if (common.json) {
                console.err().println(line);
            } else {
                console.info(line);
            }
        };
        ProgressPrinter printer = ProgressPrinter.forCommand(common, depot.store().clock(), true);
        return CtrlC.guard(installSignalHook, "check-models", common.verbose, null, cancel -> {
            for (VariantRef ref : needed) {
                say.accept("downloading " + ref.key() + " ...");
                printer.overall(ref.variant().files().size() > 1 ? ref.totalSize() : -1);
                try {
                    depot.ensure(ref, printer, cancel);
                } catch (DepotException e) {
                    if (e.exitCode() == ExitCode.INTERRUPTED || e.exitCode() == ExitCode.BAD_INPUT) {
                        throw e;
                    }
                    console.warn(ref.key() + ": " + e.getMessage());
                }
            }
            return 0;
        });
    }

    static int exitCode(List<ModelStatus> statuses) {
        if (statuses.stream().anyMatch(s -> s.state() == State.CORRUPT)) {
            return ExitCode.INTEGRITY.code;
        }
        return statuses.stream().allMatch(ModelStatus::ready) ? ExitCode.OK.code : ExitCode.FAILED.code;
    }

    private void print(Console console, List<ModelStatus> statuses, long free) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODEL", "VARIANT", "STATE", "SIZE", "TO DOWNLOAD"});
        for (ModelStatus s : statuses) {
            rows.add(new String[] {s.model(), s.variant(), s.label(), Sizes.human(s.size()), s.toDownload() == 0 ? "-" : Sizes.human(s.toDownload())});
        }
        List<String> lines = CommandSupport.table(rows);
        for (int i = 0; i < lines.size(); i++) {
            Console.Tone tone = i == 0 ? Console.Tone.BOLD : switch (statuses.get(i - 1).state()) {
                case READY -> Console.Tone.OK;
                case UNVERIFIED, PARTIAL, MISSING, OUTDATED -> Console.Tone.WARN;
                case CORRUPT, DAMAGED_LINK -> Console.Tone.ERROR;
            };
            console.info(console.paint(tone, lines.get(i)));
        }
        for (ModelStatus s : statuses) {
            s.files().stream().filter(f -> f.detail() != null && f.state() != State.UNVERIFIED)
                    .forEach(f -> console.info("  " + s.key() + "/" + f.path() + ": " + f.state().word() + ": " + f.detail()));
        }
        moved.forEach((key, why) -> console.info("  " + key + ": outdated: " + why));
        long ready = statuses.stream().filter(ModelStatus::ready).count();
        long corrupt = statuses.stream().filter(s -> s.state() == State.CORRUPT).count();
        long damaged = statuses.stream().filter(s -> s.state() == State.DAMAGED_LINK).count();
        long toDownload = statuses.stream().mapToLong(ModelStatus::toDownload).sum();
        long total = statuses.stream().mapToLong(ModelStatus::size).sum();
        console.info(String.format("%d of %d ready, %s in total; %s to download%s; free disk %s", ready, statuses.size(), Sizes.human(total),
                Sizes.human(toDownload), (corrupt > 0 ? "; " + corrupt + " corrupt" : "")
                        + (damaged > 0 ? "; " + damaged + " with a damaged link (nothing to download: --download links it again)" : ""),
                Sizes.human(free)));
        if (free >= 0 && toDownload > free) {
            console.warn("the downloads need " + Sizes.human(toDownload) + " but only " + Sizes.human(free) + " is free");
        }
    }

    private Map<String, Object> json(List<ModelStatus> statuses, ModelStore store, int code) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", store.layout().root().toString());
        out.put("models", statuses.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", s.key());
            m.put("id", s.model());
            m.put("model", s.model()); // the name before docs/json.md settled on "id"; kept for existing readers
            m.put("variant", s.variant());
            m.put("state", s.state().word());
            m.put("percent", s.percent());
            m.put("bytes", s.present());
            m.put("total", s.size());
            m.put("size", s.size());
            m.put("present", s.present());
            m.put("toDownload", s.toDownload());
            m.put("verifiedAt", s.verifiedAt());
            m.put("files", s.files());
            if (moved.containsKey(s.key())) {
                m.put("outdatedBecause", moved.get(s.key()));
            }
            return m;
        }).toList());
        out.put("ready", statuses.stream().allMatch(ModelStatus::ready));
        out.put("totalSize", statuses.stream().mapToLong(ModelStatus::size).sum());
        out.put("toDownload", statuses.stream().mapToLong(ModelStatus::toDownload).sum());
        out.put("freeDisk", store.freeSpace());
        out.put("exitCode", code);
        out.put("warnings", store.warnings());
        return out;
    }
}
