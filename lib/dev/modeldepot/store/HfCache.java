package dev.modeldepot.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Read-only view of a huggingface_hub cache. An LFS blob there is named by its sha256, so a
 * registry file with that sha256 can be taken from it instead of downloaded. Nothing is ever
 * written into this tree: their scanner would call our files corrupt, and their writers resume
 * {@code blobs/<etag>.incomplete} names we must not touch.
 */
public final class HfCache {
    private final Path root;

    public HfCache(Path root) {
        this.root = root;
    }

    /** HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. */
    public static HfCache fromEnv(Map<String, String> env, String home) {
        String hub = env.get("HF_HUB_CACHE");
        if (notBlank(hub)) {
            return new HfCache(Path.of(hub));
        }
        String hfHome = env.get("HF_HOME");
        if (notBlank(hfHome)) {
            return new HfCache(Path.of(hfHome, "hub"));
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (notBlank(xdg)) {
            return new HfCache(Path.of(xdg, "huggingface", "hub"));
        }
        return new HfCache(Path.of(home, ".cache", "huggingface", "hub"));
    }

    public Path root() {
        return root;
    }

    /** A regular (non-symlink) blob file named {@code sha256} in any repo folder, if there is one. */
    public Optional<Path> findBlob(String sha256) {
        StoreLayout.checkedSha(sha256);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> repos = Files.list(root)) {
            return repos.filter(p -> p.getFileName().toString().contains("--"))
                    .map(p -> p.resolve("blobs").resolve(sha256))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
