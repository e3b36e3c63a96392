package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.sources.DockerConfig;
import dev.modeldepot.sources.OciRegistry;
import dev.modeldepot.sources.RegistryTokens;
import dev.modeldepot.sources.Sources;
import dev.modeldepot.store.ModelStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

    /**
     * Credentials for an OCI host: the user's --token/--token-file/MODELDEPOT_TOKEN when the
     * download settings scope it to that host (--token-host, or the one registry named), else the
     * Docker config's auths for that host, else none.
     */
    static Function<String, OciRegistry.Credentials> credentials(DownloadSettings settings, Map<String, String> env) {
        return host -> settings != null && settings.tokenGoesTo(OciRegistry.base(host)) ? new OciRegistry.Credentials(null, null, settings.token())
                : DockerConfig.forHost(env, System.getProperty("user.home"), host);
    }

    /** Every sourced variant with its files (online through the depot, which keeps registry tokens for its downloads); plain variants as they are. */
    List<VariantRef> resolve(List<VariantRef> refs, boolean offline, ModelDepot depot) {
        List<VariantRef> out = new ArrayList<>();
        for (VariantRef ref : filtered(refs)) {
            out.add(offline ? resolve(ref, true, depot.store(), null, null, null) : depot.resolveSource(ref));
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

    /** One variant: offline from the store's record of the last resolution, else online (tokens kept in {@code tokens}). */
    static VariantRef resolve(VariantRef ref, boolean offline, ModelStore store, DownloadSettings settings, RegistryTokens tokens,
                              Map<String, String> env) {
        if (ref.variant().resolved()) {
            return ref;
        }
        if (offline) {
            return store.lastResolution(ref).orElseThrow(() -> DepotException.failed("--offline is set and " + ref.key() + " ("
                    + ref.variant().source().uri() + ") was never resolved here; run once without --offline"));
        }
        try {
            return new Sources(settings, credentials(settings, env), tokens).resolve(ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while resolving " + ref.variant().source().uri());
        }
    }
}
