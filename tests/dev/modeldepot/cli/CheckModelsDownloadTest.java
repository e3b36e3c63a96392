package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-models --download} shows a download as download-model-with-progress does: the same
 * live lines on a terminal, and on Ctrl-C the same one-line "interrupted" report and exit 130.
 */
class CheckModelsDownloadTest {
    @TempDir
    Path dir;

    /** A one-model registry whose file the origin serves at {@code rate} bytes a second per connection. */
    private Path registry(FaultOrigin origin, byte[] body, long rate) throws Exception {
        origin.serve("/slow.gguf", body).bytesPerSecond(rate);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", "slow.gguf");
        file.put("url", origin.url("/slow.gguf").toString());
        file.put("size", body.length);
        file.put("sha256", FaultOrigin.sha256(body));
        file.put("role", "weights");
        Map<String, Object> model = Map.of("id", "slow", "name", "Slow", "license", "apache-2.0",
                "variants", List.of(Map.of("id", "q4", "default", true, "files", List.of(file))));
        Path registry = dir.resolve("registry.json");
        Files.writeString(registry, Json.pretty(Map.of("schemaVersion", 1, "models", List.of(model))));
        return registry;
    }

    @Test
    void onATerminalTheDownloadShowsTheLiveLinesOfTheProgressPrinter() throws Exception {
        try (FaultOrigin origin = FaultOrigin.start()) {
            byte[] body = FaultOrigin.randomBytes(900_000, 7);
            Path registry = registry(origin, body, 300_000);
            CheckModelsCommand cmd = new CheckModelsCommand();
            cmd.common = new CommonOptions();
            cmd.common.env = Map.of("HF_HUB_CACHE", dir.resolve("no-hf").toString(), "NO_COLOR", "1");
            cmd.common.terminal = true;
            cmd.installSignalHook = false;
            Run r = Run.of(cmd, "--registry", registry.toString(), "--cache-dir", dir.resolve("store").toString(),
                    "slow", "--download", "--yes");
            assertEquals(0, r.exitCode(), r.err());
            // Redrawn in place: each redraw moves up over the lines drawn before and clears them.
            assertTrue(r.err().contains("\u001b[1A\r\u001b[J"), "live lines redrawn in place:\n" + r.err());
            List<String> live = Stream.of(r.err().split("\u001b\\[1A\r\u001b\\[J|\n")).filter(l -> l.startsWith("slow:q4/slow.gguf  ")).toList();
            assertTrue(live.size() >= 2, r.err());
            for (String line : live) {
                assertTrue(line.matches("slow:q4/slow\\.gguf +\\d+\\.\\d% +[\\d.]+ [kM]?B of 900 kB +[\\d.]+ [kM]?B/s +ETA (--|\\d+s)"), line);
            }
            assertTrue(r.err().contains("slow:q4/slow.gguf: verified 900 kB sha256 " + FaultOrigin.sha256(body)), r.err());
            assertTrue(r.out().contains("1 of 1 ready"), r.out());
        }
    }

    @Test
    void ctrlCStopsTheDownloadKeepsThePartialAndSaysSoOnceWithExit130() throws Exception {
        try (FaultOrigin origin = FaultOrigin.start()) {
            Path registry = registry(origin, FaultOrigin.randomBytes(4 << 20, 5), 128 * 1024);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path err = dir.resolve("err.txt");
            Path store = dir.resolve("store");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "CheckModels",
                    "--registry", registry.toString(), "--cache-dir", store.toString(), "slow", "--download", "--yes")
                    .redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile());
            pb.environment().put("HF_HUB_CACHE", dir.resolve("no-hf").toString());
            Process child = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (origin.bytesSent("/slow.gguf") < 300_000 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(child.isAlive(), Files.readString(err));
            new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start().waitFor();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "check-models ended after Ctrl-C");
            String stderr = Files.readString(err);
            assertEquals(130, child.exitValue(), stderr);
            List<String> said = stderr.lines().filter(l -> l.contains("error") || l.contains("interrupted")).toList();
            assertEquals(1, said.size(), stderr);
            assertTrue(said.get(0).startsWith("check-models: error: ") && said.get(0).contains("interrupted"), stderr);
            List<Path> partials = new ArrayList<>();
            try (Stream<Path> s = Files.walk(store.resolve("partial"))) {
                s.filter(p -> p.toString().endsWith(".part")).forEach(partials::add);
            }
            assertEquals(1, partials.size(), "the partial is kept for the next run");
            assertTrue(Files.readString(dir.resolve("out.txt")).contains("downloading slow:q4"), Files.readString(dir.resolve("out.txt")));
        }
    }
}
