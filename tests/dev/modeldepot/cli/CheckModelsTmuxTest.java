package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-models --download} in a real terminal (tmux): the download's live line is redrawn
 * in place while it runs, and Ctrl-C typed at the terminal stops it with one "interrupted" line
 * and exit 130.
 */
class CheckModelsTmuxTest {
    static final long OVERALL_MILLIS = 90_000;

    @TempDir
    Path tmp;
    Path tmux;
    String socket;

    @AfterEach
    void killServer() throws Exception {
        if (socket != null) {
            tmux("kill-server");
        }
    }

    String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putIfAbsent("TERM", "xterm-256color");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    String awaitScreen(String what, Predicate<String> condition, long deadline) throws Exception {
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = tmux("capture-pane", "-p", "-t", "check");
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen was:\n" + last);
    }

    @Test
    void theLiveLineIsRedrawnInPlaceAndCtrlCSaysInterruptedWithExit130() throws Exception {
        tmux = Requires.command("tmux");
        socket = "modeldepot-check-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        long deadline = System.currentTimeMillis() + OVERALL_MILLIS;
        try (FaultOrigin origin = FaultOrigin.start()) {
            byte[] body = FaultOrigin.randomBytes(8 << 20, 3);
            origin.serve("/slow.gguf", body).bytesPerSecond(200_000);
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", "slow.gguf");
            file.put("url", origin.url("/slow.gguf").toString());
            file.put("size", body.length);
            file.put("sha256", FaultOrigin.sha256(body));
            Map<String, Object> model = Map.of("id", "slow", "name", "Slow", "license", "apache-2.0",
                    "variants", List.of(Map.of("id", "q4", "default", true, "files", List.of(file))));
            Path registry = tmp.resolve("registry.json");
            Files.writeString(registry, Json.pretty(Map.of("schemaVersion", 1, "models", List.of(model))));

            tmux("new-session", "-d", "-s", "check", "-x", "120", "-y", "30", "env PS1='shell$ ' sh");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String line = "NO_COLOR=1 HF_HUB_CACHE='" + tmp.resolve("no-hf") + "' '" + java + "' -cp '" + System.getProperty("java.class.path")
                    + "' CheckModels --registry '" + registry + "' --cache-dir '" + tmp.resolve("store") + "' slow --download --yes; echo EXIT=$? > '"
                    + tmp.resolve("exit") + "'";
            tmux("send-keys", "-t", "check", "-l", line);
            tmux("send-keys", "-t", "check", "Enter");

            String live = awaitScreen("the live line with a speed", s -> s.lines().anyMatch(l -> l.startsWith("slow:q4/slow.gguf  ")
                    && l.contains(" of 8.4 MB  ") && !l.contains(" 0 B/s") && l.contains("ETA")), deadline);
            assertEquals(1, live.lines().filter(l -> l.startsWith("slow:q4/slow.gguf  ")).count(), "one line, redrawn in place:\n" + live);
            awaitScreen("the ETA", s -> s.lines().anyMatch(l -> l.startsWith("slow:q4/slow.gguf  ") && l.matches(".*ETA \\d+s$|.*ETA \\d+m\\d\\ds$")),
                    deadline);

            tmux("send-keys", "-t", "check", "C-c");
            Path exit = tmp.resolve("exit");
            while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
                assertTrue(System.currentTimeMillis() < deadline, "check-models did not end after Ctrl-C:\n" + tmux("capture-pane", "-p", "-t", "check"));
                Thread.sleep(100);
            }
            assertEquals("EXIT=130", Files.readString(exit).trim());
            String after = awaitScreen("the prompt", s -> s.contains("check-models: error:"), deadline);
            List<String> said = after.lines().filter(l -> l.contains("error") || l.contains("interrupted")).toList();
            assertEquals(1, said.size(), after);
            assertTrue(said.get(0).contains("interrupted"), after);
        }
    }
}
