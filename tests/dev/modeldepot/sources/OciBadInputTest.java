package dev.modeldepot.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an OCI registry stand-in on loopback can send that the real one would not: a layer whose
 * bytes do not match the digest its manifest names, a manifest that is not the one asked for by
 * digest. Also include patterns that match no layer. One sentence, the documented exit code, and
 * nothing in the store.
 */
class OciBadInputTest {
    @TempDir
    Path dir;
    FaultOrigin registry;
    byte[] weights = FaultOrigin.randomBytes(600_000, 31);
    String manifestDigest;

    @BeforeEach
    void start() throws Exception {
        registry = FaultOrigin.start();
        String digest = "sha256:" + FaultOrigin.sha256(weights);
        byte[] manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.docker.ai.model.config.v0.1+json","digest":"sha256:%s","size":2},
                 "layers":[{"mediaType":"application/vnd.docker.ai.gguf.v3","digest":"%s","size":%d,
                            "annotations":{"org.opencontainers.image.title":"tiny.Q4_K_M.gguf"}}]}
                """.formatted("0".repeat(64), digest, weights.length).getBytes(StandardCharsets.UTF_8);
        manifestDigest = "sha256:" + FaultOrigin.sha256(manifest);
        registry.serve("/v2/acme/tiny/manifests/q4", manifest);
        registry.serve("/v2/acme/tiny/manifests/" + manifestDigest, manifest);
        registry.serve("/v2/acme/tiny/blobs/" + digest, weights);
        Files.writeString(dir.resolve("registry.json"), "{\"schemaVersion\":1,\"models\":[]}");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    Run download(String... args) {
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of();
        cmd.installSignalHook = false;
        List<String> all = new ArrayList<>(List.of("--registry", dir.resolve("registry.json").toString(), "--cache-dir", dir.resolve("store").toString(), "-q"));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    String ref(String tail) {
        return "oci://127.0.0.1:" + registry.port() + "/acme/tiny" + tail;
    }

    void assertOneSentence(Run r) {
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /** No file of the model anywhere in the store: not at its final path, not as a blob, not as a partial. */
    void assertNothingStored() throws Exception {
        Path store = dir.resolve("store");
        assertFalse(Files.exists(store.resolve("models/acme--tiny")), "no model folder");
        if (Files.exists(store)) {
            try (Stream<Path> files = Files.walk(store)) {
                List<Path> big = files.filter(Files::isRegularFile).filter(f -> f.toFile().length() >= 100_000).toList();
                assertEquals(List.of(), big, "no bytes of the layer are kept");
            }
        }
    }

    @Test
    void aLayerWhoseBytesDoNotMatchItsDigestIsRefusedWithExit3AndNothingStored() throws Exception {
        registry.serve("/v2/acme/tiny/blobs/sha256:" + FaultOrigin.sha256(weights), FaultOrigin.randomBytes(weights.length, 99));
        Run r = download(ref(":q4"));
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("tiny.Q4_K_M.gguf"), r.err());
        assertTrue(r.err().contains("expected " + FaultOrigin.sha256(weights) + " again after a fresh download"), r.err());
        assertOneSentence(r);
        assertNothingStored();
    }

    @Test
    void aManifestThatIsNotTheDigestAskedForIsRefusedWithExit3() throws Exception {
        String other = "sha256:" + "ab".repeat(32);
        registry.serve("/v2/acme/tiny/manifests/" + other, Files.readAllBytes(dir.resolve("registry.json")));
        Run r = download(ref("@" + other));
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("the manifest 127.0.0.1:" + registry.port() + " sent for " + other + " has the digest sha256:"), r.err());
        assertOneSentence(r);
        assertNothingStored();
    }

    @Test
    void includePatternsMatchingNoLayerAreBadInput() throws Exception {
        Run r = download(ref(":q4"), "--include", "*.safetensors");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("no layer of " + ref(":q4") + " matches the include/exclude patterns (it has tiny.Q4_K_M.gguf)"), r.err());
        assertOneSentence(r);
        assertNothingStored();
    }

    @Test
    void aLoginIsNotSentToATokenServiceOverPlainHttp() throws Exception {
        // A registry on loopback whose challenge names a realm on another machine over http (192.0.2.1: never answers).
        com.sun.net.httpserver.HttpServer challenger = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 4);
        challenger.createContext("/", ex -> {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://192.0.2.1/token\",service=\"lab\",scope=\"repository:acme/tiny:pull\"");
            ex.sendResponseHeaders(401, -1);
            ex.close();
        });
        challenger.start();
        try {
            Path token = Files.writeString(dir.resolve("lab.token"), "lab-token-not-for-plain-http\n");
            Run r = download("--token-file", token.toString(), "oci://127.0.0.1:" + challenger.getAddress().getPort() + "/acme/tiny:q4");
            assertEquals(1, r.exitCode(), r.err());
            assertTrue(r.err().contains("sends logins to a token service over plain http (192.0.2.1); refused"), r.err());
            assertFalse(r.err().contains("lab-token-not-for-plain-http"), r.err());
            assertOneSentence(r);
        } finally {
            challenger.stop(0);
        }
    }

    @Test
    void theRightBytesByDigestAreStored() throws Exception {
        Run r = download(ref("@" + manifestDigest));
        assertEquals(0, r.exitCode(), r.err());
        try (Stream<Path> files = Files.walk(dir.resolve("store/models/acme--tiny"))) {
            Path file = files.filter(f -> f.getFileName().toString().equals("tiny.Q4_K_M.gguf")).findFirst().orElseThrow();
            assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(file)), file.toString());
        }
    }
}
