package dev.modeldepot.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.modeldepot.core.Errors;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.queue.QueueSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns keys and backend snapshots into the next {@link DashboardState}. Runs on the GUI thread
 * only; it never touches widgets (the view renders whatever state it holds).
 */
public final class DashboardController {
    private final DashboardBackend backend;
    private DashboardState state;
    private boolean quitRequested;

    public DashboardController(DashboardBackend backend) {
        this.backend = backend;
        this.state = DashboardState.initial(backend.load(), backend.queue());
    }

    public DashboardState state() {
        return state;
    }

    public boolean quitRequested() {
        return quitRequested;
    }

    /** Pulls the latest snapshots; true when the screen needs a redraw. */
    public boolean tick() {
        DashboardState.Data data = backend.load();
        QueueSnapshot queue = backend.queue();
        // takenAt changes on every snapshot; only the items matter to the screen.
        if (data.equals(state.data()) && queue.items().equals(state.queue().items())) {
            return false;
        }
        state = state.withData(data, queue);
        return true;
    }

    /** Handles one key; true when the state changed. */
    public boolean handle(KeyStroke key) {
        if (key.getKeyType() == KeyType.Character && key.isAltDown() && !key.isCtrlDown()) {
            // Terminals send Alt+x as ESC x, so Esc followed quickly by a key arrives as Alt+key.
            // Nothing is bound to Alt: treat it as the two keys the user pressed.
            boolean closed = handle(new KeyStroke(KeyType.Escape));
            return handle(new KeyStroke(key.getCharacter(), false, false)) || closed;
        }
        DashboardState before = state;
        if (state.dialog() != null) {
            dialogKey(key);
        } else if (state.filterEditing() && filterKey(key)) {
            return true;
        } else {
            Bindings.find(key).ifPresent(b -> b.action().accept(this));
        }
        tick();
        return state != before;
    }

    private void dialogKey(KeyStroke key) {
        Dialog dialog = state.dialog();
        if (key.getKeyType() == KeyType.Escape) {
            state = state.withDialog(null);
        } else if (key.getKeyType() == KeyType.Character) {
            Dialog.Choice choice = dialog.choice(key.getCharacter());
            if (choice != null) {
                state = state.withDialog(null);
                if (choice.action() != null) {
                    choice.action().run();
                }
            }
        }
    }

    private boolean filterKey(KeyStroke key) {
        String f = state.filter();
        switch (key.getKeyType()) {
            case Enter -> state = state.withFilter(f, false);
            case Escape -> state = state.withFilter("", false);
            case Backspace -> state = state.withFilter(f.isEmpty() ? f : f.substring(0, f.length() - 1), true);
            case Character -> {
                if (key.isCtrlDown()) {
                    return false;
                }
                state = state.withFilter(f + key.getCharacter(), true);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    void moveUp() {
        state = state.withSelected(state.selected() - 1);
    }

    void moveDown() {
        state = state.withSelected(state.selected() + 1);
    }

    void details() {
        ModelRow m = state.selectedModel();
        if (m != null && (m.state() == ModelRow.State.CORRUPT || m.state() == ModelRow.State.FAILED)) {
            state = state.withDialog(repairDialog(m));
            return;
        }
        state = state.withFocus(state.focus() == DashboardState.Pane.DETAILS ? DashboardState.Pane.MODELS : DashboardState.Pane.DETAILS);
    }

    private Dialog repairDialog(ModelRow m) {
        List<String> lines = new ArrayList<>();
        lines.add(m.key() + " is " + m.state().word() + ".");
        if (m.lastError() != null) {
            lines.add(m.lastError());
        }
        lines.add("r: download it again   x: delete its files   Esc: leave it");
        return new Dialog("Repair " + m.key(), lines, List.of(
                new Dialog.Choice('r', "Retry", () -> act(m, "retrying", backend::download)),
                new Dialog.Choice('x', "Delete", () -> act(m, "deleted", backend::delete))));
    }

    void download() {
        onSelected("queued", backend::download);
    }

    void pauseOrResume() {
        onSelected("pause/resume", backend::pauseOrResume);
    }

    void cancel() {
        onSelected("cancelled", backend::cancel);
    }

    void verify() {
        onSelected("verifying", backend::verify);
    }

    void askDelete() {
        ModelRow m = state.selectedModel();
        if (m == null) {
            state = state.withMessage("no model selected");
            return;
        }
        state = state.withDialog(new Dialog("Delete " + m.key() + "?", List.of(
                "This removes its " + m.files().size() + " file(s), " + Sizes.human(m.bytesOnDisk()) + " on disk.",
                "y: delete   n: keep"), List.of(
                new Dialog.Choice('y', "Yes", () -> act(m, "deleted", backend::delete)),
                new Dialog.Choice('n', "No", () -> state = state.withMessage("kept " + m.key())))));
    }

    void priority(int delta) {
        onSelected(delta > 0 ? "priority raised for" : "priority lowered for", key -> backend.priority(key, delta));
    }

    void startFilter() {
        state = state.withFilter(state.filter(), true);
    }

    void refresh() {
        backend.refresh();
        state = state.withMessage("refreshed");
    }

    void help() {
        List<String> lines = new ArrayList<>();
        for (Binding b : Bindings.TABLE) {
            lines.add(String.format("%-7s %s", b.keyLabel(), b.description()));
        }
        lines.add("");
        lines.add("Esc or ? closes this help.");
        state = state.withDialog(new Dialog("Keys", lines, List.of(new Dialog.Choice('?', "Close", null),
                new Dialog.Choice('q', "Close", null))));
    }

    void quit() {
        quitRequested = true;
    }

    private void onSelected(String verb, Consumer<String> action) {
        ModelRow m = state.selectedModel();
        if (m == null) {
            state = state.withMessage("no model selected");
            return;
        }
        act(m, verb, action);
    }

    private void act(ModelRow m, String verb, Consumer<String> action) {
        try {
            action.accept(m.key());
            state = state.withMessage(verb + " " + m.key());
        } catch (RuntimeException e) {
            state = state.withMessage("error: " + Errors.messageOf(e));
        }
    }
}
