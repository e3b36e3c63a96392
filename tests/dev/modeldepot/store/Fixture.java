package dev.modeldepot.store;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.testing.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A small registry served by a real loopback origin:
 * alpha:q4 (default) = alpha-q4.gguf + shared mmproj.gguf; alpha:q8 = alpha-q8.gguf + the same
 * mmproj.gguf; beta:fp16 = beta.safetensors + notes.txt (no sha256: unverifiable);
 * profile "minimal" = alpha. {@code v2} changes alpha-q4.gguf's bytes, so a stored copy is outdated.
 */
final class Fixture implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<Path> where;
    Path dir;
    Origin origin;
    final Map<String, byte[]> content = new LinkedHashMap<>();
    Path registryFile;
    Path registryV2;
    Path storeRoot;
    Path noHfCache;

    private Fixture(Supplier<Path> where) {
        this.where = where;
    }

    /**
     * {@code @RegisterExtension final Fixture fx = Fixture.in(() -> tmp);}: a fresh origin and
     * registry in the test's {@code @TempDir} before each test (and before its {@code @BeforeEach}
     * methods), the origin closed after it.
     */
    static Fixture in(Supplier<Path> tempDir) {
        return new Fixture(tempDir);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = where.get();
        origin = new Origin();
        storeRoot = dir.resolve("store");
        noHfCache = dir.resolve("no-hf-cache");
        content.clear();
        content.put("alpha-q4.gguf", bytes(300_000, 1));
        content.put("alpha-q8.gguf", bytes(400_000, 2));
        content.put("mmproj.gguf", bytes(100_000, 3));
        content.put("beta.safetensors", bytes(200_000, 4));
        content.put("notes.txt", bytes(1_000, 5));
        content.put("alpha-q4-v2.gguf", bytes(300_000, 6));
        registryFile = write("registry.json", false);
        registryV2 = write("registry-v2.json", true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        origin.close();
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    String sha(String name) {
        return DigestUtils.sha256Hex(content.get(name));
    }

    Registry registry() {
        return RegistryLoader.load(registryFile.toString(), true);
    }

    Registry registryV2() {
        return RegistryLoader.load(registryV2.toString(), true);
    }

    VariantRef ref(String key) {
        return registry().resolve(key);
    }

    ModelStore store() {
        return store(Linker.system());
    }

    ModelStore store(Linker linker) {
        return ModelStore.open(storeRoot, Clock.systemUTC(), new StoreOptions(linker, new HfCache(noHfCache), Duration.ofSeconds(20), Duration.ofSeconds(60)));
    }

    /** The common arguments of a command run against this fixture. */
    List<String> args(String... more) {
        List<String> out = new ArrayList<>(List.of("--cache-dir", storeRoot.toString(), "--registry", registryFile.toString()));
        out.addAll(List.of(more));
        return out;
    }

    Map<String, String> env() {
        return Map.of("HF_HUB_CACHE", noHfCache.toString());
    }

    /** {@code model-store ARGS} against this fixture's store and registry, with {@code extraEnv} on top of {@link #env()}. */
    Run modelStore(Map<String, String> extraEnv, String... args) {
        ModelStoreCommand cmd = new ModelStoreCommand();
        cmd.common = new CommonOptions();
        Map<String, String> all = new java.util.HashMap<>(env());
        all.putAll(extraEnv);
        cmd.common.env = all;
        return Run.of(cmd, args(args).toArray(String[]::new));
    }

    Run modelStore(String... args) {
        return modelStore(Map.of(), args);
    }

    private Path write(String name, boolean v2) throws IOException {
        Map<String, Object> alpha = model("alpha", List.of(
                variant("q4", true, List.of(file(v2 ? "alpha-q4-v2.gguf" : "alpha-q4.gguf", "alpha-q4.gguf", "weights", true),
                        file("mmproj.gguf", "mmproj.gguf", "mmproj", true))),
                variant("q8", false, List.of(file("alpha-q8.gguf", "alpha-q8.gguf", "weights", true),
                        file("mmproj.gguf", "mmproj.gguf", "mmproj", true)))));
        Map<String, Object> beta = model("beta", List.of(variant("fp16", true, List.of(
                file("beta.safetensors", "beta.safetensors", "weights", true), file("notes.txt", "notes.txt", "other", false)))));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", 1);
        root.put("models", List.of(alpha, beta));
        root.put("profiles", Map.of("minimal", Map.of("description", "just alpha", "models", List.of("alpha"))));
        Path file = dir.resolve(name);
        Files.writeString(file, Json.pretty(root));
        return file;
    }

    private static Map<String, Object> model(String id, List<Map<String, Object>> variants) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", id.toUpperCase());
        m.put("license", "apache-2.0");
        m.put("variants", variants);
        return m;
    }

    private static Map<String, Object> variant(String id, boolean isDefault, List<Map<String, Object>> files) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("default", isDefault);
        v.put("files", files);
        return v;
    }

    private Map<String, Object> file(String contentName, String path, String role, boolean withSha) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("url", origin.add(contentName, content.get(contentName)).toString());
        f.put("size", content.get(contentName).length);
        if (withSha) {
            f.put("sha256", sha(contentName));
        }
        f.put("role", role);
        return f;
    }
}
