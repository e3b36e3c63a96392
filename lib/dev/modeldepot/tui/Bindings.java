package dev.modeldepot.tui;

import static dev.modeldepot.tui.Binding.ctrl;
import static dev.modeldepot.tui.Binding.key;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import java.util.Optional;

/** The dashboard's one binding table. */
public final class Bindings {
    private Bindings() {}

    public static final List<Binding> TABLE = List.of(
            Binding.of("↑/k", "Up", "Select the model above", DashboardController::moveUp, key(KeyType.ArrowUp), key('k')),
            Binding.of("↓/j", "Down", "Select the model below", DashboardController::moveDown, key(KeyType.ArrowDown), key('j')),
            Binding.of("Enter", "Details", "Show or hide the details of the selected model (repair choices when it is corrupt)",
                    DashboardController::details, key(KeyType.Enter)),
            Binding.of("d", "Download", "Queue the selected model for download (retry when failed or corrupt)",
                    DashboardController::download, key('d')),
            Binding.of("p", "Pause", "Pause the selected download, keeping the partial file; again to resume",
                    DashboardController::pauseOrResume, key('p')),
            Binding.of("c", "Cancel", "Cancel the selected download (the partial file is kept)", DashboardController::cancel, key('c')),
            Binding.of("v", "Verify", "Re-hash the selected model's files against their SHA-256", DashboardController::verify, key('v')),
            Binding.of("x", "Delete", "Delete the selected model's files (asks first)", DashboardController::askDelete, key('x')),
            Binding.of("+", "Prio+", "Raise the selected download's priority", c -> c.priority(1), key('+'), key('=')),
            Binding.of("-", "Prio-", "Lower the selected download's priority", c -> c.priority(-1), key('-')),
            Binding.of("/", "Filter", "Filter models by name; Enter keeps it, Esc clears it", DashboardController::startFilter, key('/')),
            Binding.of("r", "Refresh", "Re-read the store from disk", DashboardController::refresh, key('r')),
            Binding.of("?", "Help", "Show this help", DashboardController::help, key('?')),
            Binding.of("q", "Quit", "Leave the dashboard (downloads stop; the queue and partial files are kept and resume next time)", DashboardController::quit, key('q')),
            Binding.hidden("Ctrl-C", "Quit", "Leave the dashboard, like q", DashboardController::quit, ctrl('c')));

    /** The keys as a Markdown table for the README, so the documentation is the table too. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| Key | Action | What it does |\n|---|---|---|\n");
        for (Binding b : TABLE) {
            sb.append("| `").append(b.keyLabel()).append("` | ").append(b.label()).append(" | ").append(b.description()).append(" |\n");
        }
        return sb.toString();
    }

    public static Optional<Binding> find(KeyStroke stroke) {
        return TABLE.stream().filter(b -> b.matches(stroke)).findFirst();
    }
}
