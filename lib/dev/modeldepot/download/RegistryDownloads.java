package dev.modeldepot.download;

import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a registry variant into download requests under {@code <store>/models/<id>/<variant>/<path>}.
 * A stand-in until the store routes installs itself; the layout is the store's published one.
 */
public final class RegistryDownloads {
    private RegistryDownloads() {}

    /** One file of a variant, with the names events and JSON output report it under. */
    public record Planned(DownloadRequest request, String model, String variant, String file) {}

    public static Path variantDir(Path storeRoot, VariantRef ref) {
        return storeRoot.resolve("models").resolve(ref.model().id()).resolve(ref.variant().id());
    }

    public static List<Planned> plan(Path storeRoot, VariantRef ref) {
        Path dir = variantDir(storeRoot, ref);
        return ref.variant().files().stream().map(f -> planned(dir, ref, f)).toList();
    }

    private static Planned planned(Path dir, VariantRef ref, ModelFile f) {
        DownloadRequest r = new DownloadRequest(ref.key() + "/" + f.path(), f.url(), f.mirrors(), f.size(), f.sha256(),
                dir.resolve(f.path()), null);
        return new Planned(r, ref.model().id(), ref.variant().id(), f.path());
    }
}
