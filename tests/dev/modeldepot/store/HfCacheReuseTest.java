package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.store.VariantStatus.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reuse of a huggingface_hub cache built with its documented layout; the cache must not change at all. */
class HfCacheReuseTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);
    Path hub;

    @BeforeEach
    void setUp() throws Exception {
        hub = tmp.resolve("hf/hub");
        Path repo = hub.resolve("models--acme--alpha-gguf");
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT).resolve("sub"));
        Files.writeString(hub.resolve("CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Files.writeString(repo.resolve("refs/main"), COMMIT); // no trailing newline, as huggingface_hub writes it
        // An LFS file: blob named by its sha256, snapshot a relative symlink (one more ../ per level).
        Files.write(repo.resolve("blobs").resolve(fx.sha("alpha-q4.gguf")), fx.content.get("alpha-q4.gguf"));
        Files.createSymbolicLink(repo.resolve("snapshots").resolve(COMMIT).resolve("alpha-q4.gguf"),
                Path.of("../../blobs/" + fx.sha("alpha-q4.gguf")));
        // A blob whose bytes do not match its sha256 name must never be trusted.
        byte[] wrong = Fixture.bytes(100_000, 99);
        Files.write(repo.resolve("blobs").resolve(fx.sha("mmproj.gguf")), wrong);
        Files.createSymbolicLink(repo.resolve("snapshots").resolve(COMMIT).resolve("sub/mmproj.gguf"),
                Path.of("../../../blobs/" + fx.sha("mmproj.gguf")));
        // A small git file: blob named by its git sha1.
        Files.writeString(repo.resolve("blobs/" + "a".repeat(40)), "{}");
        Files.createSymbolicLink(repo.resolve("snapshots").resolve(COMMIT).resolve("config.json"), Path.of("../../blobs/" + "a".repeat(40)));
    }

    @Test
    void aMatchingBlobIsVerifiedAndCopiedInsteadOfDownloadedAndTheCacheIsUntouched() throws Exception {
        Map<String, String> before = snapshot(hub);
        ModelStore store = ModelStore.open(fx.storeRoot, Clock.systemUTC(),
                new StoreOptions(Linker.system(), new HfCache(hub), Duration.ofSeconds(20), Duration.ofSeconds(60)));

        store.install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);

        assertEquals(0, fx.origin.gets("alpha-q4.gguf"), "taken from the Hugging Face cache, not downloaded");
        assertEquals(1, fx.origin.gets("mmproj.gguf"), "the cache's mismatching blob is refused and the file downloaded");
        assertTrue(store.warnings().stream().anyMatch(w -> w.contains("does not match its name")), store.warnings().toString());
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), true).state());
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(store.layout().blob(fx.sha("alpha-q4.gguf"))));
        Path ours = store.layout().blob(fx.sha("alpha-q4.gguf"));
        assertFalse(Files.isSameFile(ours, hub.resolve("models--acme--alpha-gguf/blobs").resolve(fx.sha("alpha-q4.gguf"))),
                "a copy: never an inode shared with their cache");
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ours)), "read-only like a downloaded blob");
        assertEquals(before, snapshot(hub), "nothing in the Hugging Face cache changed, not even a mode bit or a link count");

        // A write through our readable path (root may write a 0444 file) changes our copy, never their file.
        Path readable = fx.storeRoot.resolve("models/alpha/q4/alpha-q4.gguf");
        try {
            Files.write(readable, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.WRITE);
        } catch (java.nio.file.AccessDeniedException notRoot) {
            // not root: the mode bits refused it, which is the point of them
        }
        assertEquals(before, snapshot(hub), "a write through the store path left their cache alone");

        long freed = store.delete("alpha", "q4", null, false);
        assertEquals(fx.content.get("alpha-q4.gguf").length + fx.content.get("mmproj.gguf").length, freed, "our own copies are freed");
        assertEquals(before, snapshot(hub), "deleting from the store left their cache alone");
    }

    @Test
    void importingTheirSnapshotFolderCopiesItAsReadOnlyBlobs() throws Exception {
        Map<String, String> before = snapshot(hub);
        Path snapshotDir = hub.resolve("models--acme--alpha-gguf/snapshots").resolve(COMMIT);
        var cmd = new dev.modeldepot.cli.ModelStoreCommand();
        cmd.common = new dev.modeldepot.cli.CommonOptions();
        cmd.common.env = Map.of("HF_HUB_CACHE", hub.toString());
        java.util.List<String> args = new java.util.ArrayList<>(fx.args("import", snapshotDir.toString()));
        var r = dev.modeldepot.testing.Run.of(cmd, args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        Path ours = fx.storeRoot.resolve("blobs/sha256").resolve(fx.sha("alpha-q4.gguf"));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ours)), "0444 like a downloaded blob, not 0400");
        assertFalse(Files.isSameFile(ours, snapshotDir.resolve("alpha-q4.gguf")), "copied, not linked");
        assertEquals(before, snapshot(hub));
    }

    @Test
    void aBlobStillLinkedOutsideTheStoreFreesNothingWhenDeleted() throws Exception {
        ModelStore store = fx.store();
        store.install(fx.ref("alpha:q8"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
        Files.createLink(tmp.resolve("kept-elsewhere.gguf"), store.layout().blob(fx.sha("alpha-q8.gguf")));
        long freed = store.delete("alpha", "q8", null, false);
        assertEquals(fx.content.get("mmproj.gguf").length, freed, "only the projector's bytes were freed");
    }

    /** Issue 11, item 5: config.json is stored under its git SHA-1; found by the resolve URL's revision path instead. */
    @Test
    void aSmallGitFileIsFoundAtItsRevisionPathVerifiedAndReused() throws Exception {
        Path repo = hub.resolve("models--acme--alpha-gguf");
        byte[] config = "{\"architectures\": [\"Alpha\"]}\n".getBytes(StandardCharsets.UTF_8);
        String gitSha1 = DigestUtils.sha1Hex(concat(("blob " + config.length + "\0").getBytes(StandardCharsets.UTF_8), config));
        Files.write(repo.resolve("blobs").resolve(gitSha1), config);
        Files.delete(repo.resolve("snapshots").resolve(COMMIT).resolve("config.json"));
        Files.createSymbolicLink(repo.resolve("snapshots").resolve(COMMIT).resolve("config.json"), Path.of("../../blobs/" + gitSha1));
        Map<String, String> before = snapshot(hub);
        String endpoint = "http://127.0.0.1:9/acme/alpha-gguf/resolve/";
        Path registry = tmp.resolve("hf-registry.json");
        Files.writeString(registry, dev.modeldepot.core.Json.pretty(Map.of("schemaVersion", 1, "models", java.util.List.of(Map.of(
                "id", "acme", "name", "Acme", "license", "apache-2.0", "variants", java.util.List.of(Map.of("id", "q4", "default", true,
                        "files", java.util.List.of(
                                Map.of("path", "config.json", "url", endpoint + "main/config.json", "size", config.length,
                                        "sha256", DigestUtils.sha256Hex(config), "role", "config"),
                                Map.of("path", "alpha-q4.gguf", "url", endpoint + COMMIT + "/alpha-q4.gguf",
                                        "size", fx.content.get("alpha-q4.gguf").length, "sha256", fx.sha("alpha-q4.gguf"), "role", "weights")))))))));
        var ref = dev.modeldepot.registry.RegistryLoader.load(registry.toString(), true).resolve("acme:q4");
        ModelStore store = ModelStore.open(fx.storeRoot, Clock.systemUTC(),
                new StoreOptions(Linker.system(), new HfCache(hub), Duration.ofSeconds(20), Duration.ofSeconds(60)));

        store.install(ref, FileFetcher.NONE, DownloadListener.NONE, new Cancellation(), null); // nothing may be downloaded

        assertArrayEquals(config, Files.readAllBytes(fx.storeRoot.resolve("models/acme/q4/config.json")));
        assertEquals(State.READY, store.status(ref, true).state());
        assertEquals(before, snapshot(hub));

        // Other bytes at that path than the registry's sha256 are never taken.
        Files.delete(repo.resolve("blobs").resolve(gitSha1));
        Files.writeString(repo.resolve("blobs").resolve(gitSha1), "{\"architectures\": [\"Other\"]}\n");
        store.delete("acme", "q4", null, true);
        assertThrows(dev.modeldepot.core.DepotException.class, () -> store.install(ref, FileFetcher.NONE, DownloadListener.NONE, new Cancellation(), null));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theCacheRootFollowsHuggingFaceHubRules() {
        assertEquals(Path.of("/a/hub"), HfCache.fromEnv(Map.of("HF_HUB_CACHE", "/a/hub", "HF_HOME", "/b"), "/home/u").root());
        assertEquals(Path.of("/b/hub"), HfCache.fromEnv(Map.of("HF_HOME", "/b", "XDG_CACHE_HOME", "/x"), "/home/u").root());
        assertEquals(Path.of("/x/huggingface/hub"), HfCache.fromEnv(Map.of("XDG_CACHE_HOME", "/x"), "/home/u").root());
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HfCache.fromEnv(Map.of(), "/home/u").root());
    }

    /** Every entry, as stat(2) shows it: type, mode, link count, size, mtime, and the symlink target or content hash. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                        + " links=" + Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)
                        + " size=" + Files.getAttribute(p, "size", LinkOption.NOFOLLOW_LINKS)
                        + " mtime=" + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + perms + " " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(rel, "dir " + perms);
                } else {
                    out.put(rel, "file " + perms + " " + DigestUtils.sha256Hex(Files.readAllBytes(p)) + " "
                            + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).length());
                }
            }
        }
        return out;
    }
}
