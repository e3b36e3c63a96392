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

    /**
     * The file a Hugging Face resolve URL ({@code .../ORG/NAME/resolve/REVISION/PATH}) names, as
     * this cache holds it: {@code snapshots/<commit>/PATH}, the commit read from {@code refs/REVISION}
     * unless the revision is one. Small git files are stored under their git SHA-1, which no
     * registry sha256 matches, so this is how they are found; the caller still hashes the bytes.
     */
    public Optional<Path> findByUrl(java.net.URI url) {
        if (url == null || url.getPath() == null || !Files.isDirectory(root)) {
            return Optional.empty();
        }
        String path = url.getPath();
        int at = path.indexOf("/resolve/");
        if (at <= 0) {
            return Optional.empty();
        }
        String[] repo = path.substring(1, at).split("/");
        String kind = "models";
        int from = 0;
        if (repo.length == 3 && (repo[0].equals("datasets") || repo[0].equals("spaces"))) {
            kind = repo[0];
            from = 1;
        }
        if (repo.length - from < 1 || repo.length - from > 2) {
            return Optional.empty();
        }
        String[] rest = path.substring(at + "/resolve/".length()).split("/", 2);
        if (rest.length < 2 || rest[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            Path repoDir = root.resolve(kind + "--" + String.join("--", java.util.Arrays.copyOfRange(repo, from, repo.length)));
            String commit = rest[0].matches("[0-9a-f]{40}") ? rest[0] : Files.readString(repoDir.resolve("refs").resolve(rest[0])).trim();
            if (!commit.matches("[0-9a-f]{40}")) {
                return Optional.empty();
            }
            Path snapshot = repoDir.resolve("snapshots").resolve(commit);
            Path file = snapshot.resolve(rest[1]).normalize();
            if (!file.startsWith(snapshot) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            // A snapshot entry links into this repo's blobs; anything leading elsewhere is not the cache's file.
            return file.toRealPath().startsWith(repoDir.toRealPath()) ? Optional.of(file) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
