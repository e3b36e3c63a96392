package dev.modeldepot.cli;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Hashing;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code install-commands} runs once under {@code -XX:DumpLoadedClassList}: the work of a
 * typical start-up, so the class-data archive dumped from that list holds the classes it needs.
 * A {@code --help} alone leaves out Jackson, the registry, the store and the status check (about
 * 1,000 classes that a {@code check-models} on a ready model loads from the jars otherwise).
 * Everything happens in a temporary store with a one-file registry: no network, nothing of the
 * user's touched, nothing printed.
 */
public final class StartupTraining {
    private StartupTraining() {}

    /**
     * The training run itself ({@code model-store install-commands --training-run}, hidden): prints
     * nothing; 0 when every step ended as expected, else 1 (the archive is written either way, only
     * less useful). No main method here: JBang wants exactly one in the suite.
     */
    static int run() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(quiet);
        System.setErr(quiet);
        return train(new PrintWriter(quiet, true)) ? 0 : 1;
    }

    /** Runs the steps; true when each ended with the exit code it should. */
    static boolean train(PrintWriter sink) throws Exception {
        Path dir = Files.createTempDirectory("model-depot-training-");
        try {
            Path file = dir.resolve("t.gguf");
            Files.write(file, new byte[4096]);
            String registry = dir.resolve("registry.json").toString();
            AtomicFiles.write(Path.of(registry), ("{\"schemaVersion\":1,\"models\":[{\"id\":\"t\",\"name\":\"T\",\"variants\":[{\"id\":\"v\","
                    + "\"default\":true,\"files\":[{\"path\":\"t.gguf\",\"url\":\"http://127.0.0.1:9/t.gguf\",\"size\":4096,\"sha256\":\""
                    + Hashing.sha256(file) + "\",\"role\":\"weights\"}]}]}]}").getBytes(StandardCharsets.UTF_8));
            String store = dir.resolve("store").toString();
            String[] inStore = {"--registry", registry, "--cache-dir", store};
            boolean asExpected = true;
            asExpected &= run(sink, 0, "check-models", "--help");
            asExpected &= run(sink, 0, "model-store", "--help");
            asExpected &= run(sink, 0, "download-model-with-progress", "--help");
            asExpected &= run(sink, 0, "verify-model-integrity", "--help");
            asExpected &= run(sink, 1, "check-models", concat(inStore, "t"));
            asExpected &= run(sink, 0, "model-store", concat(inStore, "import", file.toString(), "--model", "t:v"));
            asExpected &= run(sink, 0, "check-models", concat(inStore, "t"));
            asExpected &= run(sink, 0, "check-models", concat(inStore, "t", "--json"));
            asExpected &= run(sink, 0, "model-store", concat(inStore, "list"));
            asExpected &= download(sink, dir);
            return asExpected;
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    /**
     * A download from a loopback server, as {@code --url} runs it: the HTTP client, the probe,
     * range requests and the hash (~0.07 s of start-up CPU per download once archived, measured).
     */
    static boolean download(PrintWriter sink, Path dir) throws Exception {
        byte[] body = new byte[2 << 20]; // two 1 MB work items: the range path, not a single stream
        new java.util.Random(7).nextBytes(body);
        Path file = dir.resolve("downloaded.bin");
        try (TrainingOrigin origin = new TrainingOrigin("/model.bin", body)) {
            return run(sink, 0, "download-model-with-progress", "--url", origin.url(),
                    "--sha256", org.apache.commons.codec.digest.DigestUtils.sha256Hex(body), "-o", file.toString(), "-q")
                    && Files.size(file) == body.length;
        }
    }

    static boolean run(PrintWriter sink, int expected, String command, String... args) {
        return Cli.executeWith(command(command), sink, sink, args) == expected;
    }

    static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    static Object command(String name) {
        return switch (name) {
            case "check-models" -> new CheckModelsCommand();
            case "model-store" -> new ModelStoreCommand();
            case "download-model-with-progress" -> new DownloadCommand();
            case "verify-model-integrity" -> new VerifyCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
