package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.modeldepot.testing.Run;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app loop restores the terminal on quit and on a crash, and refuses to start without a terminal. */
class DashboardAppTest {
    @TempDir
    Path logs;

    @Test
    void quitLeavesTheAlternateScreenAndExitsZero() throws Exception {
        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
        terminal.addInput(Binding.key('j'));
        terminal.addInput(Binding.key('q'));
        int code = DashboardApp.run(terminal, new FakeBackend(Fixtures.data(0)), Clock.systemUTC(), logs);
        assertEquals(0, code);
        assertFalse(terminal.toString().contains("Model Depot dashboard"), "the normal screen is back:\n" + terminal);
        try (Stream<Path> files = Files.list(logs)) {
            assertEquals(0, files.count(), "no log without a reason");
        }
    }

    @Test
    void aCrashRestoresTheTerminalWritesALogAndSaysWhere() throws Exception {
        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
        FakeBackend exploding = new FakeBackend(Fixtures.data(0)) {
            @Override
            public DashboardState.Data load() {
                if (++loads > 1) {
                    System.out.println("a stray print while the screen is up");
                    throw new IllegalStateException("store vanished");
                }
                return data;
            }
        };
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = DashboardApp.run(terminal, exploding, Clock.systemUTC(), logs);
        } finally {
            System.setErr(realErr);
        }
        assertEquals(1, code);
        assertFalse(terminal.toString().contains("Model Depot dashboard"), terminal.toString());
        assertFalse(terminal.toString().contains("stray print"), "nothing is written over the screen");
        Path log;
        try (Stream<Path> files = Files.list(logs)) {
            log = files.findFirst().orElseThrow();
        }
        String text = Files.readString(log);
        assertTrue(text.contains("a stray print while the screen is up"), text);
        assertTrue(text.contains("IllegalStateException: store vanished"), text);
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("store vanished") && said.contains(log.toString()), said);
    }

    @Test
    void withoutATerminalItSaysSoAndPointsAtTheOtherCommands() {
        Run run = Run.of(new DashboardCommand());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("needs an interactive terminal"), run.err());
        assertTrue(run.err().contains("check-models") && run.err().contains("download-model-with-progress"), run.err());
        assertEquals("", run.out());
    }
}
