package dev.modeldepot.sources;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.registry.VariantSource;

/** Turns a variant with a source into one with files (and a pinned source); plain variants pass through. */
public final class Sources {
    private final DownloadSettings settings;
    private final java.util.function.Function<String, OciRegistry.Credentials> credentials;
    private final RegistryTokens tokens;

    /** Uses the engine's settings: its HTTP client and proxies, HF_ENDPOINT and HF_TOKEN (sent only to that endpoint). */
    public Sources(DownloadSettings settings) {
        this(settings, host -> OciRegistry.Credentials.NONE, new RegistryTokens());
    }

    /**
     * @param credentials the user's credentials for an OCI registry host (--token-file, Docker config auths), used only for that host
     * @param tokens      where the bearer tokens registries hand out are kept for the engine's blob requests (see {@link RegistryTokens})
     */
    public Sources(DownloadSettings settings, java.util.function.Function<String, OciRegistry.Credentials> credentials, RegistryTokens tokens) {
        this.settings = settings;
        this.credentials = credentials;
        this.tokens = tokens;
    }

    public OciRegistry registry(String host) {
        return new OciRegistry(settings.http(), settings.stallTimeout(), credentials.apply(host), settings.clock());
    }

    public HfHub hub() {
        return new HfHub(settings.http(), settings.stallTimeout(), settings.hfEndpoint(), settings.hfToken());
    }

    public VariantRef resolve(VariantRef ref) throws InterruptedException {
        Variant v = ref.variant();
        if (v.resolved()) {
            return ref;
        }
        VariantSource source = v.source();
        if (settings.disabled()) {
            throw DepotException.failed("DISABLE_MODEL_DOWNLOADS is set, so " + source.uri() + " cannot be resolved");
        }
        if (source.isHf()) {
            HfHub.Resolution r = hub().resolve(source);
            return ref.with(v.withResolution(source.pinnedTo(r.commit()), r.files()));
        }
        if (source.isOci()) {
            OciRegistry registry = registry(OciRegistry.host(source));
            OciRegistry.Resolution r = registry.resolve(source);
            tokens.remember(OciRegistry.base(OciRegistry.host(source)), registry);
            return ref.with(v.withResolution(source.pinnedTo(r.digest()), r.files()));
        }
        throw DepotException.badInput("the " + source.kind() + " source of " + ref.key() + " is not supported yet");
    }

    /** The commit or digest the source's revision names now, for check-models' "outdated". */
    public String currentPin(VariantSource source) throws InterruptedException {
        if (source.isHf()) {
            return hub().currentCommit(source);
        }
        if (source.isOci()) {
            return registry(OciRegistry.host(source)).currentDigest(source);
        }
        throw DepotException.badInput("the " + source.kind() + " source is not supported yet");
    }
}
