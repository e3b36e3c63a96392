package dev.modeldepot.download;

import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.util.List;

/**
 * The names a registry variant's files are reported under (model, variant, file), keyed by the
 * label the store gives each file's download ("model:variant/path").
 */
public final class RegistryDownloads {
    private RegistryDownloads() {}

    /** One file of a variant, with the names events and JSON output report it under. */
    public record Planned(DownloadRequest request, String model, String variant, String file) {}

    public static List<Planned> plan(VariantRef ref) {
        return ref.variant().files().stream().map(f -> planned(ref, f)).toList();
    }

    private static Planned planned(VariantRef ref, ModelFile f) {
        DownloadRequest r = new DownloadRequest(ref.key() + "/" + f.path(), f.url(), f.mirrors(), f.size(), f.sha256(), null, null);
        return new Planned(r, ref.model().id(), ref.variant().id(), f.path());
    }
}
