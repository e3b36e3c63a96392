package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.PathRules;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where everything lives under the store root, and the guard that no registry-given name ever
 * resolves outside it.
 *
 * <pre>
 * blobs/sha256/&lt;hex&gt;                     verified blobs, read-only, named by content
 * blobs/unverified/&lt;id&gt;/&lt;variant&gt;/&lt;path&gt;  files the registry gives no sha256 for
 * models/&lt;id&gt;/&lt;variant&gt;/&lt;path&gt;         readable paths: hard link, symlink or copy of the blob
 * partial/&lt;hex&gt;/                        partial downloads and their state (the engine's partialDir)
 * meta/&lt;id&gt;/&lt;variant&gt;.json              one metadata document per variant
 * quarantine/                            corrupt blobs and damaged metadata, kept for inspection
 * .locks/                                cross-process lock files
 * store.json                             store settings (budget)
 * </pre>
 */
public record StoreLayout(Path root) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public StoreLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path blobs() {
        return root.resolve("blobs").resolve("sha256");
    }

    public Path unverifiedBlobs() {
        return root.resolve("blobs").resolve("unverified");
    }

    public Path models() {
        return root.resolve("models");
    }

    public Path partial() {
        return root.resolve("partial");
    }

    public Path meta() {
        return root.resolve("meta");
    }

    public Path quarantine() {
        return root.resolve("quarantine");
    }

    public Path locks() {
        return root.resolve(".locks");
    }

    public Path settingsFile() {
        return root.resolve("store.json");
    }

    public Path blob(String sha256) {
        return inside(blobs().resolve(checkedSha(sha256)));
    }

    /** Where a file lives as a blob: by hash when it has one, else under unverified/. */
    public Path blobFor(VariantRef ref, ModelFile file) {
        if (file.sha256() != null) {
            return blob(file.sha256());
        }
        return inside(unverifiedBlobs().resolve(segment(ref.model().id())).resolve(segment(ref.variant().id())).resolve(relative(file.path())));
    }

    public Path variantDir(String modelId, String variantId) {
        return inside(models().resolve(segment(modelId)).resolve(segment(variantId)));
    }

    public Path readablePath(VariantRef ref, ModelFile file) {
        return inside(variantDir(ref.model().id(), ref.variant().id()).resolve(relative(file.path())));
    }

    public Path metaFile(String modelId, String variantId) {
        return inside(meta().resolve(segment(modelId)).resolve(segment(variantId) + ".json"));
    }

    /** The engine's partialDir for a file: one folder per expected content, shared by every variant needing it. */
    public Path partialDir(VariantRef ref, ModelFile file) {
        if (file.sha256() != null) {
            return inside(partial().resolve(checkedSha(file.sha256())));
        }
        return inside(partial().resolve("unverified").resolve(segment(ref.model().id())).resolve(segment(ref.variant().id()))
                .resolve(relative(file.path()).toString().replace('/', '_')));
    }

    public Path lockFile(String name) {
        return inside(locks().resolve(name + ".lock"));
    }

    public void create() throws IOException {
        for (Path p : new Path[] {blobs(), unverifiedBlobs(), models(), partial(), meta(), quarantine(), locks()}) {
            Files.createDirectories(inside(p));
        }
    }

    /**
     * Every path the store computes goes through here: it must stay under the root, lexically and
     * on disk (no symbolic link on the way leads out, see {@link StorePaths}).
     */
    public Path inside(Path p) {
        Path n = p.toAbsolutePath().normalize();
        if (!n.startsWith(root) || n.equals(root)) {
            throw DepotException.badInput("refusing a store path outside the store: " + p);
        }
        return StorePaths.requireInside(root, n);
    }

    static String checkedSha(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw DepotException.badInput("'" + sha256 + "' is not a lowercase 64-hex sha256");
        }
        return sha256;
    }

    private static String segment(String name) {
        String why = PathRules.whyUnsafe(name);
        if (why != null || name.contains("/")) {
            throw DepotException.badInput("unsafe name in the store: '" + name + "' (" + (why == null ? "contains a slash" : why) + ")");
        }
        return name;
    }

    private static Path relative(String path) {
        String why = PathRules.whyUnsafe(path);
        if (why != null) {
            throw DepotException.badInput("unsafe file path '" + path + "': " + why);
        }
        return Path.of(path);
    }
}
