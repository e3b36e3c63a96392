package dev.modeldepot.api;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Threads;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.sources.DockerConfig;
import dev.modeldepot.sources.OciRegistry;
import dev.modeldepot.sources.RegistryTokens;
import dev.modeldepot.sources.Sources;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.StoreLocation;
import dev.modeldepot.store.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Builds a {@link ModelDepot}. Every setting has a default: the shipped registry (else
 * $MODELDEPOT_REGISTRY), the platform's shared store (else $MODELDEPOT_CACHE), a pool of two
 * daemon threads, the download settings of the environment (HF_TOKEN, proxies, timeouts).
 */
public final class ModelDepotBuilder {
    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Background installs at once by default: one model saturates a link; two overlap a slow tail. */
    static final int DEFAULT_THREADS = 2;

    private String registrySource;
    private Registry registry;
    private Path cacheDir;
    private String app;
    private ExecutorService executor;
    private boolean preferShared = true;
    private Path fallbackCacheDir;
    private Map<String, String> env = System.getenv();
    private Clock clock = Clock.systemUTC();
    private DownloadSettings downloadSettings;
    private StoreOptions storeOptions;
    private FileFetcher fetcher;
    private boolean offline;
    private Path bundle;
    private java.util.function.Function<String, OciRegistry.Credentials> ociCredentials;

    ModelDepotBuilder() {}

    /** The user's credentials for an OCI registry host (default: the Docker config's auths for it, else none). */
    public ModelDepotBuilder ociCredentials(java.util.function.Function<String, OciRegistry.Credentials> credentials) {
        this.ociCredentials = credentials;
        return this;
    }

    /** A registry file. */
    public ModelDepotBuilder registry(Path file) {
        this.registrySource = file.toString();
        return this;
    }

    /** A registry at an http(s) URL (or a file: URI). */
    public ModelDepotBuilder registry(URI uri) {
        this.registrySource = "file".equals(uri.getScheme()) ? Path.of(uri).toString() : uri.toString();
        return this;
    }

    /** A registry already loaded (the commands load theirs once and share it). */
    public ModelDepotBuilder registry(Registry loaded) {
        this.registry = loaded;
        return this;
    }

    /** The shared store's folder (default: $MODELDEPOT_CACHE, else the platform location). */
    public ModelDepotBuilder cacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
    }

    /** The app's name, recorded as a user (pin) of what it installs; letters, digits, '.', '_', '-'. */
    public ModelDepotBuilder app(String name) {
        this.app = name == null ? null : checkAppName(name);
        return this;
    }

    /** Where {@link ModelDepot#ensureAsync} runs; the caller owns it (close() leaves it running). */
    public ModelDepotBuilder executor(ExecutorService executor) {
        this.executor = executor;
        return this;
    }

    /** With a fallback: use the shared store when it exists and is writable (the default), else the fallback. */
    public ModelDepotBuilder preferShared(boolean prefer) {
        this.preferShared = prefer;
        return this;
    }

    /** The app's own store, used when the shared one is absent or not writable. */
    public ModelDepotBuilder fallbackCacheDir(Path dir) {
        this.fallbackCacheDir = dir;
        return this;
    }

    /** The environment to read defaults from (tests and the commands pass theirs). */
    public ModelDepotBuilder env(Map<String, String> environment) {
        this.env = Map.copyOf(environment);
        return this;
    }

    public ModelDepotBuilder clock(Clock c) {
        this.clock = c;
        return this;
    }

    /** How files are downloaded (connections, rate limit, token, ...); default from the environment. */
    public ModelDepotBuilder downloadSettings(DownloadSettings settings) {
        this.downloadSettings = settings;
        return this;
    }

    /** How the store links files and which Hugging Face cache it reuses; default from the environment. */
    public ModelDepotBuilder storeOptions(StoreOptions options) {
        this.storeOptions = options;
        return this;
    }

    /** Where missing files come from instead of the download engine (tests, other sources). */
    public ModelDepotBuilder fetcher(FileFetcher f) {
        this.fetcher = f;
        return this;
    }

    /**
     * An offline bundle (folder, .tar or .tar.part1) that installs come from first, before the
     * network or the {@link #fetcher}; null for none. Opened (and checked, a bad one is exit 2) when
     * first needed, by an install that lacks a file or by {@link ModelDepot#bundleSource()}: an app
     * whose models are all ready starts with the bundle's drive unplugged.
     */
    public ModelDepotBuilder bundle(Path path) {
        this.bundle = path;
        return this;
    }

    /** Never touch the network: a registry URL is refused and nothing is downloaded. */
    public ModelDepotBuilder offline(boolean off) {
        this.offline = off;
        return this;
    }

    /** Loads the registry and chooses the store; a bad registry is a {@link DepotException} (exit 2). */
    public ModelDepot build() {
        Registry reg = registry != null ? registry : RegistryLoader.load(registrySourceOrDefault(), offline);
        Path shared = cacheDir != null ? cacheDir.toAbsolutePath().normalize() : StoreLocation.forCurrentPlatform(env);
        StoreChoice choice = StoreChoice.choose(shared, preferShared,
                fallbackCacheDir == null ? null : fallbackCacheDir.toAbsolutePath().normalize());
        StoreOptions options = storeOptions != null ? storeOptions : StoreOptions.defaults(env);
        ModelStore store = ModelStore.open(choice.root(), clock, options).forRegistry(reg);
        DownloadSettings settings = downloadSettings != null ? downloadSettings : DownloadSettings.defaults(env);
        RegistryTokens tokens = new RegistryTokens(); // what resolving hands the engine: sources and fetcher share it
        FileFetcher files = offline ? FileFetcher.NONE : fetcher != null ? fetcher : Fetchers.of(settings, tokens);
        Map<String, String> environment = env;
        Sources sources = offline ? null : new Sources(settings, ociCredentials != null ? ociCredentials
                : host -> DockerConfig.forHost(environment, System.getProperty("user.home"), host), tokens);
        boolean owned = executor == null;
        ExecutorService pool = owned ? Executors.newFixedThreadPool(DEFAULT_THREADS, Threads.daemon("modeldepot")) : executor;
        return new ModelDepot(reg, store, choice, files, app, pool, owned, clock, bundle == null ? null : bundle.toAbsolutePath().normalize(), sources);
    }

    private String registrySourceOrDefault() {
        if (registrySource != null) {
            return registrySource;
        }
        String fromEnv = env.get("MODELDEPOT_REGISTRY");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : RegistryLoader.defaultRegistryPath().toString();
    }

    /** The rule for app names, shared with the commands' --app. */
    public static String checkAppName(String name) {
        if (!APP_NAME.matcher(name).matches()) {
            throw DepotException.badInput("'" + name + "' is not an app name (letters, digits, '.', '_', '-'; up to 64)");
        }
        return name;
    }
}
