package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.registry.VariantSource;
import dev.modeldepot.download.HttpFetcher;
import dev.modeldepot.sources.OciRegistry;
import dev.modeldepot.sources.RegistryTokens;
import dev.modeldepot.sources.Sources;
import dev.modeldepot.store.ModelStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code model-store push oci://host/name:tag MODEL[:VARIANT]}: publish a stored variant to an OCI registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Upload a stored variant's files as an OCI artifact: blobs the registry already has are skipped (HEAD),",
                "each layer is titled with its path, big files go in chunks, then the manifest is put under the tag."})
class PushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--token-file", paramLabel = "FILE", description = "Registry token (first line of FILE), sent only to that registry and its token service; default: the Docker config's login for the host.")
    java.nio.file.Path tokenFile;

    @picocli.CommandLine.Option(names = "--chunk-size", paramLabel = "SIZE", description = "Files up to SIZE go in one request, bigger ones in chunks of SIZE"
            + " (for a proxy that caps request bodies; default: 64M).")
    String chunkSize;

    @Parameters(index = "0", paramLabel = "oci://HOST/NAME:TAG")
    String target;

    @Parameters(index = "1", paramLabel = "MODEL[:VARIANT]")
    String model;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        if (common.offline) {
            throw DepotException.badInput("--offline forbids pushing to a registry");
        }
        VariantSource to = VariantSource.parse(target);
        if (!to.isOci()) {
            throw DepotException.badInput("push goes to an oci:// reference, not " + target);
        }
        ModelStore store = CommandSupport.open(common);
        VariantRef ref = SourceOptions.resolve(common.loadRegistry().resolve(model), true, store, null, null, common.env);
        if (!store.status(ref, false).usable()) {
            throw DepotException.failed(ref.key() + " is not complete in the store; download it before pushing");
        }
        List<OciRegistry.Blob> blobs = new ArrayList<>();
        for (ModelFile f : ref.variant().files()) {
            if (f.sha256() == null) {
                throw DepotException.badInput(ref.key() + "/" + f.path() + " has no sha256, and an OCI layer is named by one");
            }
            String mediaType = "gguf".equals(f.effectiveFormat()) ? "application/vnd.docker.ai.gguf.v3" : "application/octet-stream";
            blobs.add(new OciRegistry.Blob(f.path(), mediaType, f.role(), f.sha256(), f.size(), store.layout().blobFor(ref, f)));
        }
        var host = to.repo().substring(0, to.repo().indexOf('/'));
        // The target is named here, so --token-file belongs to its host.
        String token = tokenFile == null ? null : CredentialOptions.token(null, tokenFile, java.util.Map.of());
        DownloadSettings settings = DownloadSettings.defaults(common.env).toBuilder().token(token, HttpFetcher.origin(OciRegistry.base(host))).build();
        OciRegistry registry = new Sources(settings, SourceOptions.credentials(settings, common.env), new RegistryTokens()).registry(host);
        OciRegistry.Pushed pushed = registry.push(to, blobs, chunkSize == null ? OciRegistry.DEFAULT_CHUNK_SIZE : dev.modeldepot.core.Sizes.parse(chunkSize));
        common.console().info("pushed " + ref.key() + " to " + to.uri() + " (" + pushed.digest() + "): "
                + pushed.uploaded() + " blobs uploaded, " + pushed.skipped() + " already there");
        return 0;
    }
}
