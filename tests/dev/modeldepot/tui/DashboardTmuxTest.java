package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real dashboard in a real terminal: tmux runs a shell, the test types the demo command, reads
 * the screen with capture-pane, sends keys with send-keys, and checks the shell's screen is back.
 */
class DashboardTmuxTest {
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
        // A CI job may have no TERM; tmux and the dashboard inside it need one.
        pb.environment().putIfAbsent("TERM", "xterm-256color");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "dash");
    }

    /** Polls the pane until the condition holds; fails with the last screen after the overall bound. */
    String awaitScreen(String what, Predicate<String> condition, long deadline) throws Exception {
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = screen();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen was:\n" + last);
    }

    /** Starts a plain shell in a 120x40 tmux session and types the demo command into it. */
    long startDashboard() throws Exception {
        tmux = Requires.command("tmux");
        socket = "modeldepot-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        long deadline = System.currentTimeMillis() + OVERALL_MILLIS;
        tmux("new-session", "-d", "-s", "dash", "-x", "120", "-y", "40", "env PS1='shell$ ' sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String line = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' ModelDashboard --demo"
                + " --demo-size 4M --demo-rate 0 --cache-dir '" + tmp.resolve("store") + "'; echo EXIT=$? > '" + tmp.resolve("exit") + "'";
        tmux("send-keys", "-t", "dash", "-l", line);
        tmux("send-keys", "-t", "dash", "Enter");
        return deadline;
    }

    String awaitExit(long deadline) throws Exception {
        Path exit = tmp.resolve("exit");
        while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the dashboard did not exit; the screen was:\n" + screen());
            }
            Thread.sleep(100);
        }
        return Files.readString(exit).trim();
    }

    @Test
    void demoDownloadsVerifiesShowsTheCorruptOneAndQuitsCleanly() throws Exception {
        long deadline = startDashboard();
        String shown = awaitScreen("demo downloads to finish", s -> s.contains("Model Depot dashboard")
                && count(s, " ready ") >= 3 && s.contains("corrupt") && s.contains("✗ sha256 mismatch"), deadline);
        assertTrue(shown.contains("demo-llava"), shown);
        assertTrue(shown.contains("local queue"), "the demo runs its own queue, and says so:\n" + shown);
        assertTrue(Files.isRegularFile(tmp.resolve("store").resolve("queue").resolve("queue.json")), "the queue lives in the store");
        assertTrue(shown.contains("✓ 20"), "verified models show when:\n" + shown);
        assertEquals("1", tmux("display-message", "-p", "-t", "dash", "#{alternate_on}").trim(), "full screen while running");

        // The corrupt one: select it, open its repair choices, leave them.
        tmux("send-keys", "-t", "dash", "j", "j", "j", "Enter");
        awaitScreen("the repair dialog", s -> s.contains("Repair demo-broken:q8_0") && s.contains("r: download it again"), deadline);
        tmux("send-keys", "-t", "dash", "Escape");
        awaitScreen("the dialog to close", s -> !s.contains("Repair demo-broken:q8_0"), deadline);

        tmux("send-keys", "-t", "dash", "q");
        assertEquals("EXIT=0", awaitExit(deadline));
        String after = awaitScreen("the shell prompt", s -> s.contains("shell$") && !s.contains("Model Depot dashboard"), deadline);
        assertFalse(after.contains("Models"), after);
        assertEquals("0", tmux("display-message", "-p", "-t", "dash", "#{alternate_on}").trim(), "back on the normal screen");
        // Line mode and echo are back: the shell's terminal works as before.
        Path stty = tmp.resolve("stty");
        tmux("send-keys", "-t", "dash", "-l", "stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e icanon > '" + stty + "'");
        tmux("send-keys", "-t", "dash", "Enter");
        while (!Files.exists(stty) || Files.readString(stty).lines().count() < 2) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("stty did not report echo and icanon; the screen was:\n" + screen());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void ctrlCAlsoQuitsAndRestoresTheTerminal() throws Exception {
        long deadline = startDashboard();
        awaitScreen("the dashboard", s -> s.contains("Model Depot dashboard") && s.contains("Queue:"), deadline);
        tmux("send-keys", "-t", "dash", "C-c");
        assertEquals("EXIT=0", awaitExit(deadline));
        awaitScreen("the shell prompt", s -> s.contains("shell$") && !s.contains("Model Depot dashboard"), deadline);
        assertEquals("0", tmux("display-message", "-p", "-t", "dash", "#{alternate_on}").trim());
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
