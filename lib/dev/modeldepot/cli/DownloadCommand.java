package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.core.Version;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.download.HttpFetcher;
import dev.modeldepot.download.Limits;
import dev.modeldepot.download.RegistryDownloads;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.api.ModelDepot;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download-model-with-progress", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Resumable, multi-connection model downloads, SHA-256 verified before they become visible.",
                "  download-model-with-progress [options] MODEL[:VARIANT]... | --profile NAME",
                "  download-model-with-progress --url URL [--sha256 HEX] [--size BYTES] -o PATH"},
        footer = {"", "Environment: HF_TOKEN (sent only to the Hugging Face endpoint's host), HF_ENDPOINT, HF_HUB_DOWNLOAD_TIMEOUT,",
                "MODELDEPOT_TOKEN (like --token, not shown in ps),",
                "HF_DOWNLOAD_MAX_RETRIES, DISABLE_MODEL_DOWNLOADS=1 (refuse every download), https_proxy/http_proxy/no_proxy.",
                "Exit codes: 0 done, 1 failed, 2 bad input, 3 checksum still wrong after a fresh retry, 130 interrupted (run again to resume)."})
public class DownloadCommand implements Callable<Integer> {
    @Mixin
    public CommonOptions common;

    @Mixin
    AppOption app;

    @Parameters(paramLabel = "MODEL[:VARIANT]", arity = "0..*", description = {"Registry models to download (default variant when none given),",
            "or hf://org/repo[@revision][/path] and oci://host[:port]/name[:tag|@sha256:digest]."})
    List<String> models = new ArrayList<>();

    @Mixin
    SourceOptions sources;

    @Option(names = "--profile", paramLabel = "NAME", description = "Download every model of a registry profile.")
    String profile;

    @Option(names = "--url", paramLabel = "URL", description = "Download one URL without a registry (needs -o).")
    URI url;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256 of --url.")
    String sha256;

    @Option(names = "--size", paramLabel = "BYTES", description = "Expected size of --url in bytes.")
    Long size;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Where --url goes; it appears only once verified.")
    Path output;

    @Option(names = "--connections", paramLabel = "N", description = "Parallel connections per file (default: by size, 1 to 16).")
    int connections;

    @Option(names = "--limit-rate", paramLabel = "RATE", description = "Cap the speed per file, e.g. 20M (bytes per second).")
    String limitRate;

    @Option(names = "--retries", paramLabel = "N", description = "Retries after the first attempt, in a row without progress, before giving up (default: $HF_DOWNLOAD_MAX_RETRIES, else 8).")
    Integer retries;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "A connection silent this long is cancelled and its range retried (default: $HF_HUB_DOWNLOAD_TIMEOUT, else 30).")
    Integer timeout;

    @Option(names = "--token", paramLabel = "TOKEN", description = {"Bearer token, sent only to --token-host.",
            "Other users can read it in ps: prefer --token-file or $MODELDEPOT_TOKEN."})
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the bearer token from FILE (first line).")
    Path tokenFile;

    @Option(names = "--token-host", paramLabel = "HOST", description = {"The only host that gets --token and --header (host, host:port or scheme://host:port);",
            "default: the --url host, or the registry all oci:// models named are on. Other registry downloads need it:",
            "a registry's mirrors and file hosts never get them otherwise."})
    String tokenHost;

    @Option(names = "--header", paramLabel = "'Name: value'", description = "Extra request header (repeatable); sent only to --token-host, never after a redirect to another host.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--max-size", paramLabel = "BYTES", description = "Cap for a file whose size nobody announced, e.g. 20G (default: free space minus 256 MiB).")
    String maxSize;

    @Option(names = "--min-speed", paramLabel = "RATE", description = "A connection slower than this over --min-speed-time counts as stalled (default 1k; 0 turns it off).")
    String minSpeed;

    @Option(names = "--min-speed-time", paramLabel = "SECONDS", description = "The window of --min-speed (default 60).")
    Integer minSpeedTime;

    @Option(names = "--deadline", paramLabel = "SECONDS", description = "Give up (exit 1, partial kept) when the whole command has run this long.")
    Integer deadline;

    @Option(names = "--allow-insecure-redirect", description = "Follow a redirect from https to plain http (refused by default).")
    boolean allowInsecureRedirect;

    @Option(names = "--force", description = "Skip the free-space check.")
    boolean force;

    /** Tests replace the clock; Ctrl-C is wired only when run as a program. */
    public Clock clock = Clock.systemUTC();
    public boolean installSignalHook = true;

    @Override
    public Integer call() throws Exception {
        boolean single = url != null;
        if (single == (!models.isEmpty() || profile != null)) {
            throw DepotException.badInput("give either MODEL[:VARIANT]... / --profile NAME, or --url URL -o PATH");
        }
        if (single && output == null) {
            throw DepotException.badInput("--url needs -o PATH (where the verified file goes)");
        }
        if (!single && (sha256 != null || size != null || output != null)) {
            throw DepotException.badInput("--sha256, --size and -o only apply to --url");
        }
        DownloadSettings settings = settings(single);
        List<RegistryDownloads.Planned> plan = new ArrayList<>();
        List<VariantRef> refs = new ArrayList<>();
        if (single) {
            String hex = sha256 == null ? null : sha256.trim().toLowerCase(Locale.ROOT);
            if (hex != null && !hex.matches("[0-9a-f]{64}")) {
                throw DepotException.badInput("--sha256 must be 64 hex digits");
            }
            Path target = output.toAbsolutePath().normalize();
            plan.add(new RegistryDownloads.Planned(new DownloadRequest(target.getFileName().toString(), url, List.of(),
                    size == null ? -1 : size, hex, target, null), null, null, target.getFileName().toString()));
        } else {
            Registry registry = common.loadRegistry();
            depot = ModelDepot.builder().registry(registry).cacheDir(common.storeRoot()).app(app.resolve(common))
                    .env(common.env).clock(clock).downloadSettings(settings).offline(common.offline)
                    .ociCredentials(SourceOptions.credentials(settings, common.env)).build();
            refs.addAll(sources.resolve(profile != null ? registry.resolveProfile(profile) : registry.resolveAll(models), common.offline, depot));
            for (VariantRef ref : refs) {
                plan.addAll(RegistryDownloads.plan(ref));
            }
        }
        if (common.offline) {
            return offline(plan, refs);
        }
        ProgressPrinter printer = ProgressPrinter.forCommand(common, clock, false);
        plan.forEach(p -> printer.name(p.request().label(), new ProgressPrinter.Names(p.model(), p.variant(), p.file())));
        return CtrlC.guard(installSignalHook, "download-model-with-progress", common.verbose,
                common.json ? new java.io.PrintWriter(System.out, true) : null,
                cancel -> run(new DownloadEngine(settings), plan, refs, printer, cancel));
    }

    /** Registry models go through the API's ensure: the shared store, content-addressed, linked, recorded for the app. */
    private ModelDepot depot;

    private int run(DownloadEngine engine, List<RegistryDownloads.Planned> plan, List<VariantRef> refs, ProgressPrinter printer, Cancellation cancel) {
        ExitCode worst = ExitCode.OK;
        String firstError = null;
        List<String> done = new ArrayList<>();
        if (refs.isEmpty()) {
            DownloadResult r = engine.download(plan.get(0).request(), printer, cancel);
            boolean checked = plan.get(0).request().sha256() != null;
            done.add((checked ? "verified and saved " : "saved (no checksum given) ") + r.path() + " (" + Sizes.human(r.size())
                    + (r.sha256() == null ? "" : ", sha256 " + r.sha256()) + ")");
        }
        for (VariantRef ref : refs) {
            printer.overall(ref.variant().files().size() > 1 ? ref.totalSize() : -1);
            try {
                Path folder = depot.ensure(ref, printer, cancel).dir();
                done.add(ref.key() + " is in " + folder);
                if (common.json) {
                    System.out.println(doneEvent(ref, folder));
                }
            } catch (DepotException e) {
                if (e.exitCode() == ExitCode.INTERRUPTED) {
                    throw e;
                }
                worst = worst.worst(e.exitCode());
                firstError = firstError == null ? e.getMessage() : firstError;
            }
        }
        if (!common.json && !common.quiet) {
            done.forEach(System.out::println);
        }
        if (worst != ExitCode.OK) {
            String msg = refs.size() > 1 ? "some models could not be downloaded (first: " + firstError + ")" : firstError;
            throw new DepotException(worst, msg);
        }
        return 0;
    }

    /** The last event of a registry model: its readable folder, where an app finds the files by name. */
    static String doneEvent(VariantRef ref, Path folder) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("event", "done");
        m.put("id", ref.model().id());
        m.put("variant", ref.variant().id());
        m.put("state", "ready");
        m.put("bytes", ref.totalSize());
        m.put("total", ref.totalSize());
        m.put("path", folder.toAbsolutePath().toString());
        return dev.modeldepot.core.Json.line(m);
    }

    /** --offline: report what is already here; anything missing is an error, never a request. */
    private int offline(List<RegistryDownloads.Planned> plan, List<VariantRef> refs) {
        List<String> missing = new ArrayList<>();
        if (refs.isEmpty()) {
            DownloadRequest r = plan.get(0).request();
            if (!Files.isRegularFile(r.target()) || (r.expectedSize() >= 0 && sizeOf(r.target()) != r.expectedSize())) {
                missing.add(r.label());
            }
        }
        for (VariantRef ref : refs) {
            if (!depot.status(ref, false).ready()) {
                missing.add(ref.key());
            }
        }
        if (!missing.isEmpty()) {
            throw DepotException.failed("--offline is set and " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not downloaded yet; run without --offline to fetch " + (missing.size() == 1 ? "it" : "them"));
        }
        if (!common.quiet && !common.json) {
            if (refs.isEmpty()) {
                System.out.println("already here: " + plan.get(0).request().target());
            }
            refs.forEach(ref -> System.out.println(ref.key() + " is in " + depot.store().path(ref).orElseThrow()));
        }
        return 0;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private DownloadSettings settings(boolean single) {
        DownloadSettings.Builder s = DownloadSettings.defaults(common.env).toBuilder().connections(connections).headers(headers)
                .checkFreeSpace(!force).clock(clock);
        if (limitRate != null) {
            s.limitRate(Sizes.parse(limitRate));
        }
        if (retries != null) {
            s.retries(retries);
        }
        if (timeout != null) {
            if (timeout <= 0) {
                throw DepotException.badInput("--timeout must be a positive number of seconds");
            }
            s.stallTimeout(Duration.ofSeconds(timeout)).http(DownloadSettings.client(common.env, Duration.ofSeconds(timeout)));
        }
        if (single && url.getHost() == null) {
            throw DepotException.badInput("'" + Redact.url(url) + "' is not an http(s) URL");
        }
        String secret = CredentialOptions.token(token, tokenFile, common.env);
        String host = tokenHost != null ? tokenHost : single ? HttpFetcher.origin(url) : ociRegistryNamed();
        if ((secret != null || !headers.isEmpty()) && host == null) {
            throw DepotException.badInput("registry downloads send --token and --header only to the host you name with --token-host HOST"
                    + " (a registry chooses its own file hosts and mirrors)");
        }
        if (secret != null || tokenHost != null) {
            s.token(secret, host);
        }
        return s.limits(limits()).build();
    }

    /** The registry's origin when every model named is an oci:// reference to that one registry (the token is then for it), else null. */
    private String ociRegistryNamed() {
        if (profile != null || models.isEmpty() || !models.stream().allMatch(m -> m.startsWith("oci://"))) {
            return null;
        }
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (String m : models) {
            dev.modeldepot.registry.VariantSource s = dev.modeldepot.registry.VariantSource.parse(m);
            hosts.add(HttpFetcher.origin(dev.modeldepot.sources.OciRegistry.base(s.repo().substring(0, s.repo().indexOf('/')))));
        }
        return hosts.size() == 1 ? hosts.iterator().next() : null;
    }

    private Limits limits() {
        Limits l = Limits.DEFAULT.withInsecureRedirects(allowInsecureRedirect);
        if (maxSize != null) {
            l = l.withMaxSize(Sizes.parse(maxSize));
        }
        if (minSpeed != null || minSpeedTime != null) {
            if (minSpeedTime != null && minSpeedTime <= 0) {
                throw DepotException.badInput("--min-speed-time must be a positive number of seconds");
            }
            l = l.withMinSpeed(minSpeed == null ? l.minSpeed() : Sizes.parse(minSpeed),
                    minSpeedTime == null ? l.minSpeedTime() : Duration.ofSeconds(minSpeedTime));
        }
        if (deadline != null) {
            if (deadline <= 0) {
                throw DepotException.badInput("--deadline must be a positive number of seconds");
            }
            l = l.withDeadline(clock.instant().plusSeconds(deadline));
        }
        return l;
    }

}
