package dev.modeldepot.verify;

import dev.modeldepot.cli.CheckModelsCommand;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.StoreOptions;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.ModelFiles;
import dev.modeldepot.testing.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real store filled from a real loopback origin ({@link FaultOrigin}) through the download
 * engine: llava:q4 (default) = llava.Q4.gguf + mmproj.gguf + config.json (no sha256);
 * llava:f16 = the same weights under another name; clip:onnx = encoder.onnx;
 * profile "vision" = llava:q4 + clip.
 */
final class StoreFixture implements AutoCloseable {
    final Path dir;
    final Path root;
    final Path registryFile;
    final FaultOrigin origin;
    final Path srcWeights;
    final Path srcMmproj;
    final Path srcConfig;
    final Path srcOnnx;

    StoreFixture(Path dir) throws Exception {
        this.dir = dir;
        this.root = dir.resolve("store");
        this.origin = FaultOrigin.start();
        Path src = dir.resolve("origin-files");
        srcWeights = ModelFiles.gguf(src.resolve("llava.Q4.gguf"), 300_000);
        srcMmproj = ModelFiles.mmproj(src.resolve("mmproj.gguf"), 100_000);
        srcConfig = ModelFiles.json(src.resolve("config.json"), "{\"arch\":\"llava\"}");
        srcOnnx = ModelFiles.onnx(src.resolve("encoder.onnx"));
        registryFile = dir.resolve("registry.json");
        Files.writeString(registryFile, "{\"schemaVersion\":1,\"models\":["
                + "{\"id\":\"llava\",\"name\":\"LLaVA\",\"variants\":["
                + "{\"id\":\"q4\",\"default\":true,\"files\":[" + entry("llava.Q4.gguf", srcWeights, true, "gguf") + ","
                + entry("mmproj.gguf", srcMmproj, true, null) + "," + entry("config.json", srcConfig, false, null) + "]},"
                + "{\"id\":\"f16\",\"files\":[" + entry("llava.f16.gguf", srcWeights, true, null) + "]}]},"
                + "{\"id\":\"clip\",\"name\":\"CLIP\",\"variants\":[{\"id\":\"onnx\",\"files\":[" + entry("encoder.onnx", srcOnnx, true, "onnx") + "]}]}],"
                + "\"profiles\":{\"vision\":{\"models\":[\"llava:q4\",\"clip\"]}}}");
    }

    private String entry(String path, Path f, boolean withSha, String format) throws Exception {
        origin.serve("/" + path, Files.readAllBytes(f));
        return "{\"path\":\"" + path + "\",\"url\":\"" + origin.url("/" + path) + "\",\"size\":" + Files.size(f)
                + (withSha ? ",\"sha256\":\"" + ModelFiles.sha256(f) + "\"" : "") + (format == null ? "" : ",\"format\":\"" + format + "\"") + "}";
    }

    Map<String, String> env() {
        return Map.of("HF_HUB_CACHE", dir.resolve("no-hf-cache").toString());
    }

    Registry registry() {
        return RegistryLoader.load(registryFile.toString(), true);
    }

    VariantRef ref(String key) {
        return registry().resolve(key);
    }

    ModelStore store() {
        return ModelStore.open(root, Clock.systemUTC(), StoreOptions.defaults(env()));
    }

    /** Installs a variant from the origin through the download engine, as check-models --download does. */
    void install(String key) throws Exception {
        store().install(ref(key), Fetchers.of(new DownloadEngine(DownloadSettings.defaults(env()))), DownloadListener.NONE, new Cancellation(), null);
    }

    Path blob(String key, String path) {
        VariantRef ref = ref(key);
        return store().layout().blobFor(ref, ref.variant().file(path).orElseThrow());
    }

    Path readable(String key, String path) {
        VariantRef ref = ref(key);
        return store().layout().readablePath(ref, ref.variant().file(path).orElseThrow());
    }

    /** Flips one bit of a (read-only) blob; the mtime moves on visibly, as after any write. */
    static void corrupt(Path blob) throws IOException {
        long mtime = Files.getLastModifiedTime(blob).toMillis();
        blob.toFile().setWritable(true);
        ModelFiles.flipBit(blob, Files.size(blob) - 5);
        Files.setLastModifiedTime(blob, FileTime.fromMillis(mtime + 5_000));
    }

    /** Flips one bit and puts the old mtime back: silent corruption only a full pass can see. */
    static void rot(Path blob) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(blob);
        blob.toFile().setWritable(true);
        ModelFiles.flipBit(blob, Files.size(blob) - 5);
        Files.setLastModifiedTime(blob, mtime);
    }

    /** Moves the mtime on without changing a byte, so the stamps of this blob no longer match. */
    static void touch(Path blob) throws IOException {
        Files.setLastModifiedTime(blob, FileTime.fromMillis(Files.getLastModifiedTime(blob).toMillis() + 7_000));
    }

    Run verify(String... args) {
        return verify(null, args);
    }

    Run verify(Clock clock, String... args) {
        VerifyCommand cmd = new VerifyCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = env();
        if (clock != null) {
            cmd.clock = clock;
        }
        return Run.of(cmd, withStore(args));
    }

    Run checkModels(String... args) {
        return Run.of(new CheckModelsCommand(), withStore(args));
    }

    private String[] withStore(String... args) {
        return Stream.concat(Stream.of("--cache-dir", root.toString(), "--registry", registryFile.toString()), Stream.of(args)).toArray(String[]::new);
    }

    @Override
    public void close() {
        origin.close();
    }
}
