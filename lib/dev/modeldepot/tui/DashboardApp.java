package dev.modeldepot.tui;

import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import dev.modeldepot.core.Errors;
import dev.modeldepot.core.Threads;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the dashboard on a terminal until q or Ctrl-C. The GUI thread is this one: it polls input,
 * and at most four times a second asks the backend for new snapshots and redraws only if they
 * changed, sleeping in between so an idle dashboard costs next to nothing. Whatever happens, the
 * terminal is restored before this returns; stray output to System.out/err while the screen is
 * up goes to a log file instead of over the screen.
 */
public final class DashboardApp {
    /** Four redraws a second at most. */
    static final long TICK_MILLIS = 250;
    /** How long the loop sleeps when there was nothing to do: short enough that keys feel instant. */
    static final long IDLE_SLEEP_MILLIS = 20;

    private DashboardApp() {}

    /** @return the exit code: 0 after q/Ctrl-C or a closed terminal, 1 after a crash (log path printed) */
    public static int run(Terminal terminal, DashboardBackend backend, Clock clock, Path logDir) throws IOException {
        return run(terminal, backend, clock, logDir, true);
    }

    /** @param colour false when NO_COLOR is set */
    public static int run(Terminal terminal, DashboardBackend backend, Clock clock, Path logDir, boolean colour) throws IOException {
        Path log = logDir.resolve("model-dashboard-" + ProcessHandle.current().pid() + ".log");
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        Throwable crash = null;
        Screen screen = new TerminalScreen(terminal);
        try (PrintStream sink = new PrintStream(lazyFile(log), true, StandardCharsets.UTF_8)) {
            screen.startScreen();
            screen.setCursorPosition(null);
            System.setOut(sink);
            System.setErr(sink);
            try {
                loop(screen, backend, clock, colour);
            } catch (Throwable t) {
                crash = t;
            } finally {
                System.setOut(realOut);
                System.setErr(realErr);
                screen.stopScreen();
            }
        }
        if (crash == null) {
            return 0;
        }
        StringWriter trace = new StringWriter();
        crash.printStackTrace(new PrintWriter(trace));
        Files.writeString(log, "model-dashboard crashed:\n" + trace, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        realErr.println("model-dashboard: error: " + Errors.messageOf(crash));
        realErr.println("model-dashboard: the terminal was restored; details are in " + log);
        return 1;
    }

    private static void loop(Screen screen, DashboardBackend backend, Clock clock, boolean colour) throws IOException, InterruptedException {
        MultiWindowTextGUI gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
        // The user's actions run here, one after another, so a service that does not answer never freezes the screen.
        ExecutorService actions = Executors.newSingleThreadExecutor(Threads.daemon("dashboard-actions"));
        try {
            loop(gui, new DashboardController(backend, actions), clock, colour);
        } finally {
            actions.shutdownNow();
        }
    }

    private static void loop(MultiWindowTextGUI gui, DashboardController controller, Clock clock, boolean colour)
            throws IOException, InterruptedException {
        DashboardView view = new DashboardView(gui, controller, clock, colour);
        long nextTick = 0;
        while (!controller.quitRequested()) {
            boolean drew;
            try {
                drew = gui.getGUIThread().processEventsAndUpdate();
            } catch (EOFException e) {
                return; // the terminal went away (ssh dropped): leave as if q was pressed
            }
            long now = System.nanoTime();
            if (now >= nextTick) {
                nextTick = now + TICK_MILLIS * 1_000_000;
                if (controller.tick()) {
                    view.render();
                }
            }
            if (!drew) {
                Thread.sleep(IDLE_SLEEP_MILLIS);
            }
        }
    }

    /** The log file is created only if something is written to it. */
    private static OutputStream lazyFile(Path log) {
        return new OutputStream() {
            private OutputStream out;

            private OutputStream out() throws IOException {
                if (out == null) {
                    out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                return out;
            }

            @Override
            public void write(int b) throws IOException {
                out().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (out != null) {
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                if (out != null) {
                    out.close();
                }
            }
        };
    }
}
