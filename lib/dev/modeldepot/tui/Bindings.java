package dev.modeldepot.tui;

import static dev.modeldepot.tui.Binding.ctrl;
import static dev.modeldepot.tui.Binding.key;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import dev.modeldepot.tui.DashboardState.Mode;
import java.util.Optional;

/** The dashboard's one binding table. */
public final class Bindings {
    private Bindings() {}

    /**
     * In footer order: the keys a user needs most come first, so the one footer line at 80 columns
     * carries them; the rest are on the '?' screen.
     */
    public static final List<Binding> TABLE = List.of(
            Binding.of("Enter", "Details", "Details of the selected model (repair choices when it is corrupt)",
                    DashboardController::details, key(KeyType.Enter)),
            Binding.of("d", "Download", "Queue the selected model (a retry when it failed or is corrupt)",
                    DashboardController::download, key('d')),
            Binding.of("p", "Pause", "Pause the selected download (partial kept); again to resume",
                    DashboardController::pauseOrResume, key('p')),
            Binding.of("c", "Cancel", "Cancel the selected download (the partial file is kept)", DashboardController::cancel, key('c')),
            Binding.of("/", "Filter", "Filter models by name; Enter keeps it, Esc clears it", DashboardController::startFilter, key('/')),
            Binding.of("Tab", "Focus", "Move the focus to the next pane (models, queue, details)", DashboardController::focusNext,
                    key(KeyType.Tab)),
            Binding.of("q", "Quit", "Leave (downloads stop; queue and partial files resume next time)", DashboardController::quit, key('q')),
            Binding.of("v", "Verify", "Re-hash the selected model's files against their SHA-256", DashboardController::verify, key('v')),
            Binding.of("x", "Delete", "Delete the selected model's files (asks first)", DashboardController::askDelete, key('x')),
            Binding.of("+", "Prio+", "Raise the selected download's priority", c -> c.priority(1), key('+'), key('=')),
            Binding.of("-", "Prio-", "Lower the selected download's priority", c -> c.priority(-1), key('-')),
            Binding.of("PgDn", "Scroll", "Scroll the focused pane down a page (models: move the selection)", c -> c.scroll(1),
                    key(KeyType.PageDown)),
            Binding.of("PgUp", "Scroll up", "Scroll the focused pane up by a page", c -> c.scroll(-1), key(KeyType.PageUp)),
            Binding.of("r", "Refresh", "Re-read the store from disk", DashboardController::refresh, key('r')),
            Binding.of("?", "Help", "Show this help", DashboardController::help, key('?')),
            Binding.hidden("↑/k", "Up", "Select the model above", DashboardController::moveUp, key(KeyType.ArrowUp), key('k')),
            Binding.hidden("↓/j", "Down", "Select the model below", DashboardController::moveDown, key(KeyType.ArrowDown), key('j')),
            Binding.hidden("Ctrl-C", "Quit", "Leave the dashboard, like q", DashboardController::quit, ctrl('c')),
            Binding.in(Mode.FILTER, "Enter", "Keep", "While typing a filter: keep it", DashboardController::keepFilter,
                    key(KeyType.Enter)),
            Binding.in(Mode.FILTER, "Esc", "Clear", "While typing a filter: clear it (the selection stays)",
                    DashboardController::clearFilter, key(KeyType.Escape)),
            Binding.in(Mode.FILTER, "Backspace", "Erase", "While typing a filter: erase a character", DashboardController::eraseFilter,
                    key(KeyType.Backspace)),
            Binding.in(Mode.DIALOG, "Esc", "Close", "In a dialog: close it (its own keys are in the footer)",
                    DashboardController::closeDialog, key(KeyType.Escape)));

    /** The keys as a Markdown table for the README, so the documentation is the table too. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| Key | Action | What it does |\n|---|---|---|\n");
        for (Binding b : TABLE) {
            sb.append("| `").append(b.keyLabel()).append("` | ").append(b.label()).append(" | ").append(b.description()).append(" |\n");
        }
        return sb.toString();
    }

    /** The binding of a key in a mode. */
    public static Optional<Binding> find(Mode mode, KeyStroke stroke) {
        return TABLE.stream().filter(b -> b.mode() == mode && b.matches(stroke)).findFirst();
    }

    public static Optional<Binding> find(KeyStroke stroke) {
        return find(Mode.NORMAL, stroke);
    }
}
