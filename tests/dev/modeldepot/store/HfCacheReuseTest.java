package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.store.VariantStatus.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reuse of a huggingface_hub cache built with its documented layout; the cache must not change at all. */
class HfCacheReuseTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;
    Fixture fx;
    Path hub;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixture(tmp);
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

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aMatchingBlobIsVerifiedAndLinkedInsteadOfDownloadedAndTheCacheIsUntouched() throws Exception {
        Map<String, String> before = snapshot(hub);
        ModelStore store = ModelStore.open(fx.storeRoot, Clock.systemUTC(),
                new StoreOptions(Linker.system(), new HfCache(hub), Duration.ofSeconds(20), Duration.ofSeconds(60)));

        store.install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);

        assertEquals(0, fx.origin.gets("alpha-q4.gguf"), "taken from the Hugging Face cache, not downloaded");
        assertEquals(1, fx.origin.gets("mmproj.gguf"), "the cache's mismatching blob is refused and the file downloaded");
        assertTrue(store.warnings().stream().anyMatch(w -> w.contains("does not match its name")), store.warnings().toString());
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), true).state());
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(store.layout().blob(fx.sha("alpha-q4.gguf"))));
        assertTrue(Files.isSameFile(store.layout().blob(fx.sha("alpha-q4.gguf")),
                hub.resolve("models--acme--alpha-gguf/blobs").resolve(fx.sha("alpha-q4.gguf"))), "hard-linked, no second copy");
        assertEquals(before, snapshot(hub), "nothing in the Hugging Face cache changed, not even a mode bit");
    }

    @Test
    void theCacheRootFollowsHuggingFaceHubRules() {
        assertEquals(Path.of("/a/hub"), HfCache.fromEnv(Map.of("HF_HUB_CACHE", "/a/hub", "HF_HOME", "/b"), "/home/u").root());
        assertEquals(Path.of("/b/hub"), HfCache.fromEnv(Map.of("HF_HOME", "/b", "XDG_CACHE_HOME", "/x"), "/home/u").root());
        assertEquals(Path.of("/x/huggingface/hub"), HfCache.fromEnv(Map.of("XDG_CACHE_HOME", "/x"), "/home/u").root());
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HfCache.fromEnv(Map.of(), "/home/u").root());
    }

    /** Every entry: type, symlink target or content hash, and permissions. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + Files.readSymbolicLink(p));
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
