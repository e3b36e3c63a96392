package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.sources.Sources;
import dev.modeldepot.store.ModelStore;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * --include/--exclude for models named by hf:// or oci://, and the one place commands turn such
 * references into files: online through the Hub or the registry, offline from the store's record
 * of the last resolution.
 */
public class SourceOptions {
    @Option(names = "--include", paramLabel = "GLOB", description = "For hf:// and oci:// models: only files matching GLOB (repeatable; '*' also matches '/').")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "For hf:// and oci:// models: leave out files matching GLOB (repeatable).")
    List<String> exclude = new ArrayList<>();

    /** The user's registry token (the command's --token/--token-file), used for an OCI registry host; null for none. */
    String token;

    /** Credentials for an OCI host: the user's token, else the Docker config's auths for that host. */
    static java.util.function.Function<String, dev.modeldepot.sources.OciRegistry.Credentials> credentials(String token, java.util.Map<String, String> env) {
        return host -> token != null ? new dev.modeldepot.sources.OciRegistry.Credentials(null, null, token)
                : dev.modeldepot.sources.DockerConfig.forHost(env, System.getProperty("user.home"), host);
    }

    /** Every sourced variant with its files; plain registry variants are returned as they are. */
    List<VariantRef> resolve(List<VariantRef> refs, boolean offline, ModelStore store, DownloadSettings settings) {
        List<VariantRef> out = new ArrayList<>();
        for (VariantRef ref : filtered(refs)) {
            out.add(resolve(ref, offline, store, settings, credentials(token, System.getenv())));
        }
        return out;
    }

    /** The refs with --include/--exclude applied to every sourced variant (the only kind they mean something for). */
    List<VariantRef> filtered(List<VariantRef> refs) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return refs;
        }
        if (refs.stream().noneMatch(r -> r.variant().source() != null)) {
            throw DepotException.badInput("--include and --exclude apply to hf:// and oci:// models, and none is named");
        }
        return refs.stream().map(r -> r.variant().source() == null ? r
                : r.with(r.variant().withResolution(r.variant().source().filtered(include, exclude), List.of()))).toList();
    }

    static VariantRef resolve(VariantRef ref, boolean offline, ModelStore store, DownloadSettings settings) {
        return resolve(ref, offline, store, settings, credentials(null, System.getenv()));
    }

    static VariantRef resolve(VariantRef ref, boolean offline, ModelStore store, DownloadSettings settings,
                              java.util.function.Function<String, dev.modeldepot.sources.OciRegistry.Credentials> credentials) {
        if (ref.variant().resolved()) {
            return ref;
        }
        if (offline) {
            return store.lastResolution(ref).orElseThrow(() -> DepotException.failed("--offline is set and " + ref.key() + " ("
                    + ref.variant().source().uri() + ") was never resolved here; run once without --offline"));
        }
        try {
            return new Sources(settings, credentials).resolve(ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while resolving " + ref.variant().source().uri());
        }
    }
}
