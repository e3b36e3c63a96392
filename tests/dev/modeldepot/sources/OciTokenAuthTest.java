package dev.modeldepot.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.testing.DistributionRegistry;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import dev.modeldepot.testing.TokenRealm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker-registry in {@code auth: token} mode, its realm a token service on loopback
 * ({@link TokenRealm}: RS256 JWTs it verifies against a self-signed certificate), and its blobs
 * served through the {@code redirect} storage middleware by a "CDN" on another origin. Anonymous
 * clients may pull {@code public/*}; pushing and {@code private/*} need a login: a Docker config's
 * {@code auths} or {@code --token-file}. The bearer token the realm hands out reaches the blob
 * requests to the registry, never the CDN, and is written nowhere.
 */
class OciTokenAuthTest {
    static final String USER = "lab";
    static final String PASSWORD = "s3cret-pass";
    static final String LAB_TOKEN = "lab-token-5f1e2d";

    @TempDir
    static Path dir;
    static TokenRealm realm;
    static FaultOrigin cdn;
    static FaultOrigin web;
    static DistributionRegistry registry;
    static byte[] weights = FaultOrigin.randomBytes(3 << 20, 21);
    static byte[] mmproj = FaultOrigin.randomBytes(400_000, 22);
    static Path registryFile;
    static Path lab;

    @BeforeAll
    static void start() throws Exception {
        realm = TokenRealm.start(dir.resolve("realm"), USER, PASSWORD, LAB_TOKEN);
        cdn = FaultOrigin.start();
        web = FaultOrigin.start();
        // Blob GETs answer 307 to the "CDN" (another origin: the name localhost, its own port), as S3 or GCS backends do.
        String redirect = "middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: " + cdn.url("localhost", "/") + "\n";
        registry = DistributionRegistry.start(dir.resolve("registry"), null, realm.registryAuthConfig() + redirect);
        for (byte[] b : List.of(weights, mmproj)) {
            String hex = FaultOrigin.sha256(b);
            cdn.serve("/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data", b);
        }
        web.serve("/tiny.Q4_K_M.gguf", weights);
        web.serve("/mmproj.gguf", mmproj);
        registryFile = dir.resolve("registry.json");
        Files.writeString(registryFile, """
                {"schemaVersion":1,"models":[{"id":"tiny","name":"Tiny","variants":[{"id":"q4","files":[
                  {"path":"tiny.Q4_K_M.gguf","url":"%s","size":%d,"sha256":"%s","role":"weights"},
                  {"path":"mmproj.gguf","url":"%s","size":%d,"sha256":"%s","role":"mmproj"}]}]}]}
                """.formatted(web.url("/tiny.Q4_K_M.gguf"), weights.length, FaultOrigin.sha256(weights),
                web.url("/mmproj.gguf"), mmproj.length, FaultOrigin.sha256(mmproj)));
        lab = dir.resolve("lab-store");
        Run r = download(lab, Map.of(), "tiny");
        assertEquals(0, r.exitCode(), r.err());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {registry, realm, cdn, web}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    static Run download(Path store, Map<String, String> env, String... args) {
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env;
        cmd.installSignalHook = false;
        List<String> all = new ArrayList<>(List.of("--registry", registryFile.toString(), "--cache-dir", store.toString(), "-q"));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    static Run push(Map<String, String> env, String... args) {
        ModelStoreCommand cmd = new ModelStoreCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env;
        List<String> all = new ArrayList<>(List.of("--registry", registryFile.toString(), "--cache-dir", lab.toString(), "push"));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    /** A DOCKER_CONFIG folder whose config.json has a login for the registry, as `docker login` writes it. */
    static Map<String, String> dockerLogin(String name, String user, String password) throws Exception {
        Path config = Files.createDirectories(dir.resolve(name));
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
        return Map.of("DOCKER_CONFIG", config.toString());
    }

    void assertNoCredentialWrittenUnder(Path root) throws Exception {
        List<String> secrets = new ArrayList<>(realm.issued());
        secrets.addAll(List.of(PASSWORD, LAB_TOKEN));
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toFile().length() < (1 << 20)).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : secrets) {
                    assertFalse(text.contains(s), f + " holds a credential");
                }
            }
        }
    }

    @Test
    void pushWithADockerLoginInChunksThenAnonymousPullGetsATokenThatReachesTheRegistryButNotTheCdn() throws Exception {
        long patchesBefore = registry.requests("PATCH", "/v2/public/tiny/blobs/uploads/", 202);
        String target = "oci://" + registry.hostPort() + "/public/tiny:q4";
        Run anonymousPush = push(Map.of(), target, "tiny:q4");
        assertEquals(1, anonymousPush.exitCode(), anonymousPush.err());
        assertTrue(anonymousPush.err().contains("refused to let us push to public/tiny (HTTP 401); give credentials with --token-file or a Docker config login"),
                anonymousPush.err());

        Run pushed = push(dockerLogin("docker-lab", USER, PASSWORD), "--chunk-size", "1M", target, "tiny:q4");
        assertEquals(0, pushed.exitCode(), pushed.err());
        assertTrue(pushed.out().contains("2 blobs uploaded, 0 already there"), pushed.out());
        // 3 MiB in chunks of 1 MB: four PATCH requests, each accepted with its Content-Range; the 400 kB file went in one PUT.
        assertEquals(4, registry.requests("PATCH", "/v2/public/tiny/blobs/uploads/", 202) - patchesBefore);
        assertTrue(realm.asked().stream().anyMatch(a -> a.granted() && TokenRealm.basic(USER, PASSWORD).equals(a.authorization())
                && a.query().contains("pull%2Cpush")), "the push asked the realm for a push token with the Docker login");

        int cdnBefore = cdn.recorded().size();
        Path store = dir.resolve("anonymous");
        Run pulled = download(store, Map.of(), target);
        assertEquals(0, pulled.exitCode(), pulled.err());
        Path folder = store.resolve("models/public--tiny/q4");
        assertArrayEquals(weights, Files.readAllBytes(folder.resolve("tiny.Q4_K_M.gguf")), "chunks reassembled in order");
        assertArrayEquals(mmproj, Files.readAllBytes(folder.resolve("mmproj.gguf")));
        assertTrue(realm.asked().stream().anyMatch(a -> a.granted() && a.authorization() == null && a.query().contains("public%2Ftiny%3Apull")),
                "an anonymous token was asked for");
        String blob = "/v2/public/tiny/blobs/sha256:" + FaultOrigin.sha256(weights);
        assertTrue(registry.requests("GET", blob, 307) >= 1, "the registry accepted the blob request's bearer token and redirected it");
        List<FaultOrigin.Request> atCdn = cdn.recorded().subList(cdnBefore, cdn.recorded().size());
        assertFalse(atCdn.isEmpty(), "the bytes came from the CDN");
        assertTrue(atCdn.stream().allMatch(q -> q.header("Authorization") == null), "the CDN never sees the registry's token");
        assertNoCredentialWrittenUnder(store);
        assertNoCredentialWrittenUnder(lab);

        Run unknownRepo = download(dir.resolve("anonymous-2"), Map.of(), "oci://" + registry.hostPort() + "/public/nothing:v1");
        assertEquals(2, unknownRepo.exitCode(), unknownRepo.err());
        assertTrue(unknownRepo.err().contains("has no repository public/nothing"), unknownRepo.err());
        assertEquals(1, unknownRepo.err().strip().lines().count(), unknownRepo.err());
    }

    @Test
    void aShortLivedTokenIsAskedForAgainWhenEachFileStarts() throws Exception {
        String target = "oci://" + registry.hostPort() + "/public/short:q4";
        Run pushed = push(dockerLogin("docker-short", USER, PASSWORD), target, "tiny:q4");
        assertEquals(0, pushed.exitCode(), pushed.err());
        realm.advertiseLifetime(0);
        try {
            Run pulled = download(dir.resolve("short-lived"), Map.of(), target);
            assertEquals(0, pulled.exitCode(), pulled.err());
        } finally {
            realm.advertiseLifetime(300);
        }
        long anonymous = realm.asked().stream().filter(a -> a.granted() && a.authorization() == null && a.query().contains("public%2Fshort%3Apull")).count();
        // One for the manifest, then one more as each of the two files starts.
        assertTrue(anonymous >= 3, "tokens asked for: " + anonymous);
    }

    @Test
    void aPrivateModelNeedsALoginFromTheTokenFileOrTheDockerConfig() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("lab.token"), LAB_TOKEN + "\n");
        String target = "oci://" + registry.hostPort() + "/private/tiny:q4";
        Run pushed = push(Map.of(), "--token-file", tokenFile.toString(), target, "tiny:q4");
        assertEquals(0, pushed.exitCode(), pushed.err());

        Run anonymous = download(dir.resolve("no-login"), Map.of(), target);
        assertEquals(1, anonymous.exitCode(), anonymous.err());
        assertTrue(anonymous.err().contains("refused access to private/tiny (HTTP 401); give credentials with --token-file or a Docker config login"),
                anonymous.err());

        Path withFile = dir.resolve("token-file");
        Run byFile = download(withFile, Map.of(), "--token-file", tokenFile.toString(), target);
        assertEquals(0, byFile.exitCode(), byFile.err());
        assertArrayEquals(weights, Files.readAllBytes(withFile.resolve("models/private--tiny/q4/tiny.Q4_K_M.gguf")));
        assertTrue(realm.asked().stream().anyMatch(a -> a.granted() && ("Bearer " + LAB_TOKEN).equals(a.authorization())));

        Path withLogin = dir.resolve("docker-login");
        Run byLogin = download(withLogin, dockerLogin("docker-user", USER, PASSWORD), target);
        assertEquals(0, byLogin.exitCode(), byLogin.err());
        assertArrayEquals(mmproj, Files.readAllBytes(withLogin.resolve("models/private--tiny/q4/mmproj.gguf")));

        Map<String, String> wrong = new HashMap<>(dockerLogin("docker-wrong", USER, "not-the-password"));
        Run refused = download(dir.resolve("wrong-login"), wrong, target);
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("the token service of " + registry.hostPort() + " answered HTTP 401"), refused.err());
        assertFalse(refused.err().contains("not-the-password"), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertNoCredentialWrittenUnder(withFile);
        assertNoCredentialWrittenUnder(withLogin);
    }
}
