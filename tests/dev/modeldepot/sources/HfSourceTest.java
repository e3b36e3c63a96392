package dev.modeldepot.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.cli.CheckModelsCommand;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.HubStandIn;
import dev.modeldepot.testing.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf:// references and registry "source": {"hf": ...} against a Hub stand-in and a CDN on another origin. */
class HfSourceTest {
    @TempDir
    Path dir;
    HubStandIn hub;
    byte[] weights = FaultOrigin.randomBytes(2 << 20, 7);
    byte[] mmproj = FaultOrigin.randomBytes(300_000, 8);
    byte[] config = "{\"architectures\":[\"Tiny\"]}\n".getBytes(StandardCharsets.UTF_8);
    HubStandIn.Commit first;

    @BeforeEach
    void start() throws Exception {
        hub = HubStandIn.start();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("tiny.Q4_K_M.gguf", weights);
        files.put("tiny.Q8_0.gguf", FaultOrigin.randomBytes(100_000, 9));
        files.put("mmproj-tiny-f16.gguf", mmproj);
        files.put("config.json", config);
        files.put("README.md", "# tiny\n".getBytes(StandardCharsets.UTF_8));
        first = hub.publish("acme/tiny-GGUF", "main", files, Set.of("tiny.Q4_K_M.gguf", "tiny.Q8_0.gguf", "mmproj-tiny-f16.gguf"));
        Files.writeString(dir.resolve("registry.json"), """
                {"schemaVersion":1,"models":[{"id":"tiny","name":"Tiny","variants":[{"id":"q4","source":
                  {"hf":"acme/tiny-GGUF","revision":"main","include":["*Q4_K_M*.gguf","mmproj*","config.json"]}}]}]}
                """);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint().toString());
        env.put("HF_TOKEN", "hf_testtoken123456");
        env.put("HF_HUB_CACHE", dir.resolve("hf-cache").toString());
        return env;
    }

    Run download(Map<String, String> env, String... args) {
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env;
        cmd.installSignalHook = false;
        List<String> all = new ArrayList<>(List.of("--registry", dir.resolve("registry.json").toString(), "--cache-dir", dir.resolve("store").toString(), "-q"));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    Run check(Map<String, String> env, String... args) {
        CheckModelsCommand cmd = new CheckModelsCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env;
        List<String> all = new ArrayList<>(List.of("--registry", dir.resolve("registry.json").toString(), "--cache-dir", dir.resolve("store").toString()));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    JsonNode meta(String model, String variant) throws Exception {
        return Json.MAPPER.readTree(dir.resolve("store/meta/" + model + "/" + variant + ".json").toFile());
    }

    @Test
    void theQueueOfTheServiceAndDashboardInstallsASourceNeverResolvedHereThenPathFindsItsFiles() throws Exception {
        Map<String, String> env = env();
        try (ModelDepot depot = ModelDepot.builder().registry(dir.resolve("registry.json")).cacheDir(dir.resolve("store")).env(env).build()) {
            // What DownloadService's queue runs for an entry (the dashboard queues through it too).
            depot.installer().install("tiny:q4", null, new Cancellation());
            assertTrue(depot.status("tiny:q4").ready(), "resolved online and installed");
        }
        dev.modeldepot.cli.ModelStoreCommand cmd = new dev.modeldepot.cli.ModelStoreCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env;
        Run path = Run.of(cmd, "--registry", dir.resolve("registry.json").toString(), "--cache-dir", dir.resolve("store").toString(),
                "path", "tiny:q4", "--file", "tiny.Q4_K_M.gguf");
        assertEquals(0, path.exitCode(), path.err());
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(Path.of(path.out().strip()))), path.out());
    }

    @Test
    void hfReferenceWithIncludeDownloadsVerifiedFilesAndPinsTheCommit() throws Exception {
        Run r = download(env(), "hf://acme/tiny-GGUF@main", "--include", "*Q4_K_M*", "--include", "config.json");
        assertEquals(0, r.exitCode(), r.err());
        Path folder = dir.resolve("store/models/acme--tiny-gguf/main");
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(folder.resolve("tiny.Q4_K_M.gguf"))));
        assertTrue(java.util.Arrays.equals(config, Files.readAllBytes(folder.resolve("config.json"))));
        assertFalse(Files.exists(folder.resolve("tiny.Q8_0.gguf")), "excluded by --include");
        assertEquals("hf://acme/tiny-GGUF@" + first.sha(), meta("acme--tiny-gguf", "main").get("source").asText());
        // Every file URL names the commit, not the branch: what was checked is what is fetched.
        assertTrue(hub.requests().stream().filter(q -> q.path().contains("/resolve/")).allMatch(q -> q.path().contains("/resolve/" + first.sha() + "/")));
        // HF_TOKEN went to the Hub, never to the CDN it redirected to.
        assertTrue(hub.requests().stream().allMatch(q -> "Bearer hf_testtoken123456".equals(q.authorization())));
        assertFalse(hub.cdn.recorded().isEmpty());
        assertTrue(hub.cdn.recorded().stream().allMatch(q -> q.header("Authorization") == null));
    }

    @Test
    void registrySourceIsCheckedOutdatedWhenTheBranchMovesAndOfflineUsesTheLastResolution() throws Exception {
        assertEquals(0, download(env(), "tiny").exitCode());
        JsonNode files = meta("tiny", "q4").get("files");
        assertEquals(3, files.size());
        Run ready = check(env(), "--json", "tiny");
        assertEquals(0, ready.exitCode(), ready.out() + ready.err());

        Map<String, byte[]> next = new LinkedHashMap<>();
        next.put("tiny.Q4_K_M.gguf", weights);
        next.put("mmproj-tiny-f16.gguf", mmproj);
        next.put("config.json", "{\"architectures\":[\"Tiny2\"]}\n".getBytes(StandardCharsets.UTF_8));
        HubStandIn.Commit second = hub.publish("acme/tiny-GGUF", "main", next, Set.of("tiny.Q4_K_M.gguf", "mmproj-tiny-f16.gguf"));
        Run outdated = check(env(), "tiny");
        assertEquals(1, outdated.exitCode(), outdated.out());
        assertTrue(outdated.out().contains("outdated"), outdated.out());
        assertTrue(outdated.out().contains(first.sha()) && outdated.out().contains(second.sha()), outdated.out());

        int before = hub.requests().size();
        Run offline = check(env(), "--offline", "tiny");
        assertEquals(0, offline.exitCode(), offline.out() + offline.err());
        assertEquals(before, hub.requests().size(), "--offline must not ask the Hub");

        assertEquals(0, download(env(), "tiny").exitCode());
        assertEquals("hf://acme/tiny-GGUF@" + second.sha(), meta("tiny", "q4").get("source").asText());
        assertEquals(0, check(env(), "tiny").exitCode());
    }

    @Test
    void lfsBlobsInTheHuggingFaceCacheAreReusedInsteadOfDownloaded() throws Exception {
        Path blobs = dir.resolve("hf-cache/models--acme--tiny-GGUF/blobs");
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(FaultOrigin.sha256(weights)), weights);
        Run r = download(env(), "tiny");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0, hub.cdn.requests("/blobs/" + FaultOrigin.sha256(weights)), "taken from the HF cache");
        assertTrue(hub.cdn.requests("/blobs/" + FaultOrigin.sha256(mmproj)) > 0);
    }

    @Test
    void smallFilesAreCheckedAgainstTheGitBlobSha1() {
        VariantSourceFixture.assertGitSha1(config, HubStandIn.gitBlobSha1(config));
        byte[] other = "{\"architectures\":[\"Evil\"]}\n".getBytes(StandardCharsets.UTF_8);
        hub.tamper("acme/tiny-GGUF", "config.json", java.util.Arrays.copyOf(other, config.length));
        Run r = download(env(), "hf://acme/tiny-GGUF", "--include", "config.json");
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("does not match the git blob sha1"), r.err());
        assertFalse(Files.exists(dir.resolve("store/models/acme--tiny-gguf/main/config.json")));
    }

    @Test
    void badReferencesGetOneSentenceAndExitCode2() {
        Run repo = download(env(), "hf://acme/nope");
        assertEquals(2, repo.exitCode());
        assertTrue(repo.err().contains("no repository acme/nope"), repo.err());
        Run rev = download(env(), "hf://acme/tiny-GGUF@v9");
        assertEquals(2, rev.exitCode());
        assertTrue(rev.err().contains("has no revision 'v9'"), rev.err());
        Run none = download(env(), "hf://acme/tiny-GGUF", "--include", "*.safetensors");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("no file of acme/tiny-GGUF@main matches --include *.safetensors"), none.err());
        assertFalse(none.err().contains("Exception"), none.err());
    }

    @Test
    void gatedRepoSaysWhereToAcceptTheLicence() {
        hub.gate("acme/tiny-GGUF", "hf_rightonetoken99");
        Run r = download(env(), "hf://acme/tiny-GGUF");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("accept the licence at " + hub.endpoint() + "/acme/tiny-GGUF and set HF_TOKEN"), r.err());
        Map<String, String> good = env();
        good.put("HF_TOKEN", "hf_rightonetoken99");
        assertEquals(0, download(good, "hf://acme/tiny-GGUF", "--include", "config.json").exitCode());
    }

    @Test
    void offlineWithoutAnEarlierResolutionRefuses() {
        Run r = download(env(), "--offline", "hf://acme/tiny-GGUF");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("never resolved here"), r.err());
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void registryAddHfFreezesThePinnedSelectionIntoPlainEntries() throws Exception {
        Path registry = dir.resolve("frozen.json");
        Files.writeString(registry, "{\"schemaVersion\":1,\"models\":[]}\n");
        dev.modeldepot.cli.ModelStoreCommand cmd = new dev.modeldepot.cli.ModelStoreCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env();
        Run r = Run.of(cmd, "--registry", registry.toString(), "registry", "add", "--hf", "acme/tiny-GGUF@main",
                "--include", "*Q4_K_M*", "--include", "config.json", "--model", "tiny", "--variant", "q4");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode files = Json.MAPPER.readTree(registry.toFile()).at("/models/0/variants/0/files");
        assertEquals(2, files.size());
        JsonNode w = files.get(0).get("path").asText().endsWith(".gguf") ? files.get(0) : files.get(1);
        assertEquals(FaultOrigin.sha256(weights), w.get("sha256").asText());
        assertEquals(weights.length, w.get("size").asLong());
        assertEquals(hub.endpoint() + "/acme/tiny-GGUF/resolve/" + first.sha() + "/tiny.Q4_K_M.gguf", w.get("url").asText());
        dev.modeldepot.registry.RegistryLoader.load(registry.toString(), true); // still a valid plain registry
    }

    @Test
    void globsFollowFnmatch() {
        assertTrue(Globs.matches("*Q4_K_M*.gguf", "sub/tiny.Q4_K_M.gguf"));
        assertTrue(Globs.matches("onnx/", "onnx/model.onnx"));
        assertTrue(Globs.matches("model-0000[1-2]-of-00002.safetensors", "model-00002-of-00002.safetensors"));
        assertFalse(Globs.matches("*.gguf", "config.json"));
    }
}
