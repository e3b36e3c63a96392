package dev.modeldepot.service;

import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The store as folders: models/&lt;id&gt;/&lt;variant&gt;/&lt;path&gt;, each file at its registry size
 * (files only arrive there after their sha256 matched), and the Hugging Face hub cache, where an
 * LFS blob named by a file's sha256 is that file.
 */
public final class FolderStoreView implements StoreView {
    private final Path storeRoot;
    private final Path hfCache;

    public FolderStoreView(Path storeRoot, Path hfCache) {
        this.storeRoot = storeRoot;
        this.hfCache = hfCache;
    }

    public static Path variantDir(Path storeRoot, VariantRef ref) {
        return storeRoot.resolve("models").resolve(ref.model().id()).resolve(ref.variant().id());
    }

    /** $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. */
    public static Path hfCacheRoot(Map<String, String> env) {
        String hub = env.get("HF_HUB_CACHE");
        if (hub != null && !hub.isBlank()) {
            return Path.of(hub);
        }
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "hub");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "huggingface", "hub");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
    }

    @Override
    public boolean inStore(VariantRef ref) {
        Path dir = variantDir(storeRoot, ref);
        return ref.variant().files().stream().allMatch(f -> hasSize(dir.resolve(f.path()), f.size()));
    }

    @Override
    public boolean inHfCache(VariantRef ref) {
        List<ModelFile> files = ref.variant().files();
        if (files.isEmpty() || files.stream().anyMatch(f -> f.sha256() == null) || !Files.isDirectory(hfCache)) {
            return false;
        }
        List<Path> blobDirs = new ArrayList<>();
        try (Stream<Path> repos = Files.list(hfCache)) {
            repos.filter(p -> p.getFileName().toString().startsWith("models--"))
                    .map(p -> p.resolve("blobs")).filter(Files::isDirectory).forEach(blobDirs::add);
        } catch (IOException e) {
            return false;
        }
        return files.stream().allMatch(f -> blobDirs.stream().anyMatch(b -> hasSize(b.resolve(f.sha256()), f.size())));
    }

    private static boolean hasSize(Path p, long size) {
        try {
            return Files.isRegularFile(p) && Files.size(p) == size;
        } catch (IOException e) {
            return false;
        }
    }
}
