package dev.modeldepot.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The real view and controller on a virtual terminal, driven on the test thread. */
final class Harness {
    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;
    final MultiWindowTextGUI gui;
    final FakeBackend backend;
    final DashboardController controller;
    final DashboardView view;

    Harness(int cols, int rows, FakeBackend backend) {
        this(cols, rows, backend, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
    }

    Harness(int cols, int rows, FakeBackend backend, Clock clock) {
        this(cols, rows, backend, clock, true);
    }

    /** @param colour false as with NO_COLOR set */
    Harness(int cols, int rows, FakeBackend backend, Clock clock, boolean colour) {
        this(cols, rows, backend, clock, colour, Runnable::run);
    }

    /** Any backend, its actions run on {@code actions} as the app runs them on its worker ({@link #backend} is null unless fake). */
    Harness(int cols, int rows, DashboardBackend backend, Clock clock, boolean colour, java.util.concurrent.Executor actions) {
        try {
            this.terminal = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
            this.screen = new TerminalScreen(terminal);
            screen.startScreen();
            this.gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
            this.backend = backend instanceof FakeBackend fake ? fake : null;
            this.controller = new DashboardController(backend, actions);
            this.view = new DashboardView(gui, controller, clock, colour);
            update();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One pass of the GUI loop: input, tasks, redraw if needed. */
    Harness update() {
        try {
            gui.getGUIThread().processEventsAndUpdate();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** What the app's loop does every 250 ms. */
    Harness tick() {
        if (controller.tick()) {
            view.render();
        }
        return update();
    }

    Harness press(KeyStroke... keys) {
        for (KeyStroke k : keys) {
            terminal.addInput(k);
            update();
        }
        return this;
    }

    Harness type(String text) {
        for (char c : text.toCharArray()) {
            press(new KeyStroke(c, false, false));
        }
        return this;
    }

    Harness resize(int cols, int rows) {
        terminal.setTerminalSize(new TerminalSize(cols, rows));
        return update();
    }

    /** The screen, one string per row, exactly as wide as the terminal. */
    List<String> rows() {
        TerminalSize size = terminal.getTerminalSize();
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < size.getRows(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < size.getColumns(); c++) {
                sb.append(terminal.getCharacter(c, r).getCharacterString());
            }
            rows.add(sb.toString());
        }
        return rows;
    }

    String text() {
        return String.join("\n", rows());
    }

    TextCharacter at(int col, int row) {
        return terminal.getCharacter(col, row);
    }

    /** Row and column of the first occurrence of {@code needle}, or null. */
    int[] find(String needle) {
        List<String> rows = rows();
        for (int r = 0; r < rows.size(); r++) {
            int c = rows.get(r).indexOf(needle);
            if (c >= 0) {
                return new int[] {r, c};
            }
        }
        return null;
    }
}
