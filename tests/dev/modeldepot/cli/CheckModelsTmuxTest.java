package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void theLiveLineIsRedrawnInPlaceAndCtrlCSaysInterruptedWithExit130() throws Exception {
        long deadline = System.currentTimeMillis() + OVERALL_MILLIS;
        try (FaultOrigin origin = FaultOrigin.start(); Tmux term = Tmux.shell("check", 120, 30)) {
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

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String line = "NO_COLOR=1 HF_HUB_CACHE='" + tmp.resolve("no-hf") + "' '" + java + "' -cp '" + System.getProperty("java.class.path")
                    + "' CheckModels --registry '" + registry + "' --cache-dir '" + tmp.resolve("store") + "' slow --download --yes; echo EXIT=$? > '"
                    + tmp.resolve("exit") + "'";
            term.type(line);

            String live = term.await("the live line with a speed", s -> s.lines().anyMatch(l -> l.startsWith("slow:q4/slow.gguf  ")
                    && l.contains(" of 8.4 MB  ") && !l.contains(" 0 B/s") && l.contains("ETA")), deadline);
            assertEquals(1, live.lines().filter(l -> l.startsWith("slow:q4/slow.gguf  ")).count(), "one line, redrawn in place:\n" + live);
            term.await("the ETA", s -> s.lines().anyMatch(l -> l.startsWith("slow:q4/slow.gguf  ") && l.matches(".*ETA \\d+s$|.*ETA \\d+m\\d\\ds$")),
                    deadline);

            term.keys("C-c");
            Path exit = tmp.resolve("exit");
            while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
                assertTrue(System.currentTimeMillis() < deadline, "check-models did not end after Ctrl-C:\n" + term.screen());
                Thread.sleep(100);
            }
            assertEquals("EXIT=130", Files.readString(exit).trim());
            String after = term.await("the prompt", s -> s.contains("check-models: error:"), deadline);
            List<String> said = after.lines().filter(l -> l.contains("error") || l.contains("interrupted")).toList();
            assertEquals(1, said.size(), after);
            assertTrue(said.get(0).contains("interrupted"), after);
        }
    }
}
