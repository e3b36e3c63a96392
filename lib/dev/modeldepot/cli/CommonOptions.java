package dev.modeldepot.cli;

import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.store.StoreLocation;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every script shares. Used as a picocli {@code @Mixin}; the options are inherited,
 * so with subcommands they work both before and after the subcommand's name.
 */
public class CommonOptions {
    @Option(names = "--registry", paramLabel = "FILE|URL", scope = ScopeType.INHERIT,
            description = "Model registry (default: $MODELDEPOT_REGISTRY, else the catalog's registry/model-registry.json).")
    public String registry;

    @Option(names = "--max-registry-size", paramLabel = "SIZE", scope = ScopeType.INHERIT,
            description = "Refuse a registry larger than this (default: 16M); a registry URL must also arrive within 60 s.")
    public String maxRegistrySize;

    @Option(names = "--cache-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Model store folder (default: $MODELDEPOT_CACHE, else the platform location).")
    public Path cacheDir;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine-readable JSON output.")
    public boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Print only errors.")
    public boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "More detail; stack traces on errors.")
    public boolean verbose;

    @Option(names = "--offline", scope = ScopeType.INHERIT, description = "Never touch the network.")
    public boolean offline;

    /**
     * The shared options of a subcommand: inherited options are bound to the root command's
     * mixin, so subcommands read them from there.
     */
    public static CommonOptions of(picocli.CommandLine.Model.CommandSpec spec) {
        for (var s = spec; s != null; s = s.parent()) {
            var mixin = s.mixins().get("common");
            if (mixin != null && mixin.userObject() instanceof CommonOptions c) {
                return c;
            }
        }
        throw new IllegalStateException("command " + spec.qualifiedName() + " has no CommonOptions mixin");
    }

    /** The environment, replaceable in tests. */
    public Map<String, String> env = System.getenv();

    /** The store root: --cache-dir, else $MODELDEPOT_CACHE, else the platform location. */
    public Path storeRoot() {
        if (cacheDir != null) {
            return cacheDir.toAbsolutePath().normalize();
        }
        return StoreLocation.forCurrentPlatform(env);
    }

    /** Where the registry comes from, as given or by default. */
    public String registrySource() {
        if (registry != null && !registry.isBlank()) {
            return registry;
        }
        String fromEnv = env.get("MODELDEPOT_REGISTRY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return RegistryLoader.defaultRegistryPath().toString();
    }

    /** Loads and validates the registry; a bad one stops with exit 2 and one message. */
    public Registry loadRegistry() {
        return RegistryLoader.load(registrySource(), offline, maxRegistryBytes(), java.time.Duration.ofSeconds(60));
    }

    public long maxRegistryBytes() {
        if (maxRegistrySize == null) {
            return RegistryLoader.DEFAULT_MAX_BYTES;
        }
        long n = dev.modeldepot.core.Sizes.parse(maxRegistrySize);
        if (n <= 0) {
            throw dev.modeldepot.core.DepotException.badInput("--max-registry-size must be a positive size such as 16M");
        }
        return n;
    }

    /** Whether output goes to a terminal; null asks the JVM. Tests set true to see what a terminal gets (live lines). */
    public Boolean terminal;

    public Console console() {
        return terminal == null ? Console.forStdout(env, quiet) : Console.forStdout(env, quiet, terminal);
    }
}
