package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Tmux term;

    @AfterEach
    void killServer() throws Exception {
        if (term != null) {
            term.close();
        }
    }

    /** Starts a plain shell in a 120x40 tmux session and types the demo command into it. */
    long startDashboard() throws Exception {
        long deadline = System.currentTimeMillis() + OVERALL_MILLIS;
        term = Tmux.shell("dash", 120, 40);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String line = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' ModelDashboard --demo"
                + " --demo-size 4M --demo-rate 0 --cache-dir '" + tmp.resolve("store") + "'; echo EXIT=$? > '" + tmp.resolve("exit") + "'";
        term.type(line);
        return deadline;
    }

    String awaitExit(long deadline) throws Exception {
        Path exit = tmp.resolve("exit");
        while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the dashboard did not exit; the screen was:\n" + term.screen());
            }
            Thread.sleep(100);
        }
        return Files.readString(exit).trim();
    }

    @Test
    void demoDownloadsVerifiesShowsTheCorruptOneAndQuitsCleanly() throws Exception {
        long deadline = startDashboard();
        String shown = term.await("demo downloads to finish", s -> s.contains("Model Depot dashboard")
                && count(s, " ready ") >= 3 && s.contains("corrupt") && s.contains("✗ sha256 mismatch"), deadline);
        assertTrue(shown.contains("demo-llava"), shown);
        assertTrue(shown.contains("local queue"), "the demo runs its own queue, and says so:\n" + shown);
        assertTrue(Files.isRegularFile(tmp.resolve("store").resolve("queue").resolve("queue.json")), "the queue lives in the store");
        assertTrue(shown.contains("✓ 20"), "verified models show when:\n" + shown);
        assertEquals("1", term.display("#{alternate_on}"), "full screen while running");

        // The corrupt one: select it, open its repair choices, leave them.
        term.keys("j", "j", "j", "Enter");
        term.await("the repair dialog", s -> s.contains("Repair demo-broken:q8_0") && s.contains("r: download it again"), deadline);
        term.keys("Escape");
        term.await("the dialog to close", s -> !s.contains("Repair demo-broken:q8_0"), deadline);

        term.keys("q");
        assertEquals("EXIT=0", awaitExit(deadline));
        String after = term.await("the shell prompt", s -> s.contains("shell$") && !s.contains("Model Depot dashboard"), deadline);
        assertFalse(after.contains("Models"), after);
        assertEquals("0", term.display("#{alternate_on}"), "back on the normal screen");
        // Line mode and echo are back: the shell's terminal works as before.
        Path stty = tmp.resolve("stty");
        term.type("stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e icanon > '" + stty + "'");
        while (!Files.exists(stty) || Files.readString(stty).lines().count() < 2) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("stty did not report echo and icanon; the screen was:\n" + term.screen());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void ctrlCAlsoQuitsAndRestoresTheTerminal() throws Exception {
        long deadline = startDashboard();
        term.await("the dashboard", s -> s.contains("Model Depot dashboard") && s.contains("Queue:"), deadline);
        term.keys("C-c");
        assertEquals("EXIT=0", awaitExit(deadline));
        term.await("the shell prompt", s -> s.contains("shell$") && !s.contains("Model Depot dashboard"), deadline);
        assertEquals("0", term.display("#{alternate_on}"));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
