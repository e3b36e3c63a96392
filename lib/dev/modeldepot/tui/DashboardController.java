package dev.modeldepot.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.modeldepot.core.Errors;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.queue.QueueSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Turns keys and backend snapshots into the next {@link DashboardState}. Runs on the GUI thread
 * only; it never touches widgets (the view renders whatever state it holds).
 *
 * <p>The user's actions (download, pause/resume, cancel, verify, delete, priority) run on the
 * {@code actions} executor, never on this thread: through a service they are HTTP calls that may
 * wait seconds for a service that stopped answering. A key press says what is under way at once
 * ("pausing X …"); the outcome ("paused X" or "error: …") comes back as a message the next
 * {@link #tick()} shows.
 */
public final class DashboardController {
    private final DashboardBackend backend;
    private final Executor actions;
    private final Queue<String> outcomes = new ConcurrentLinkedQueue<>();
    private DashboardState state;
    private boolean quitRequested;

    /** Actions run on the calling thread: for tests and backends whose actions return at once. */
    public DashboardController(DashboardBackend backend) {
        this(backend, Runnable::run);
    }

    /** @param actions where the user's actions run (the app gives a worker thread) */
    public DashboardController(DashboardBackend backend, Executor actions) {
        this.backend = backend;
        this.actions = actions;
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
        boolean told = false;
        for (String outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
            state = state.withMessage(outcome);
            told = true;
        }
        DashboardState.Data data = backend.load();
        QueueSnapshot queue = backend.queue();
        // takenAt changes on every snapshot; only the items matter to the screen.
        if (data.equals(state.data()) && queue.items().equals(state.queue().items())) {
            return told;
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
        DashboardState.Mode mode = state.mode();
        var binding = Bindings.find(mode, key);
        if (binding.isPresent()) {
            binding.get().action().accept(this);
        } else if (mode == DashboardState.Mode.DIALOG && key.getKeyType() == KeyType.Character) {
            Dialog.Choice choice = state.dialog().choice(key.getCharacter());
            if (choice != null) {
                state = state.withDialog(null);
                if (choice.action() != null) {
                    choice.action().run();
                }
            }
        } else if (mode == DashboardState.Mode.FILTER && key.getKeyType() == KeyType.Character && !key.isCtrlDown()) {
            state = state.withFilter(state.filter() + key.getCharacter(), true);
            return true;
        } else if (mode == DashboardState.Mode.FILTER && key.getKeyType() == KeyType.Character && key.isCtrlDown()) {
            Bindings.find(key).ifPresent(b -> b.action().accept(this)); // Ctrl-C still quits while typing
        }
        tick();
        return state != before;
    }

    void keepFilter() {
        state = state.withFilter(state.filter(), false);
    }

    /** Clears the filter and keeps the model that was selected selected (its index in the whole table differs). */
    void clearFilter() {
        ModelRow was = state.selectedModel();
        state = state.withFilter("", false);
        if (was != null) {
            state = state.withSelected(state.visibleModels().indexOf(was));
        }
    }

    void eraseFilter() {
        String f = state.filter();
        state = state.withFilter(f.isEmpty() ? f : f.substring(0, f.length() - 1), true);
    }

    void closeDialog() {
        state = state.withDialog(null);
    }

    void focusNext() {
        DashboardState.Pane[] panes = DashboardState.Pane.values();
        state = state.withFocus(panes[(state.focus().ordinal() + 1) % panes.length]);
    }

    /** Lines a page moves: the views clamp the offset to what the pane holds. */
    static final int PAGE = 4;

    void scroll(int pages) {
        switch (state.focus()) {
            case MODELS -> state = state.withSelected(Math.max(0, state.selected() + pages * PAGE));
            case QUEUE -> state = state.withScroll(state.queueScroll() + pages * PAGE, state.detailsScroll());
            case DETAILS -> state = state.withScroll(state.queueScroll(), state.detailsScroll() + pages * PAGE);
        }
    }

    /** The view tells how far each pane can scroll, so PgUp after many PgDn acts at once. */
    public void clampScroll(int queueMax, int detailsMax) {
        int q = Math.min(state.queueScroll(), Math.max(0, queueMax));
        int d = Math.min(state.detailsScroll(), Math.max(0, detailsMax));
        if (q != state.queueScroll() || d != state.detailsScroll()) {
            state = state.withScroll(q, d);
        }
    }

    void moveUp() {
        state = state.withSelected(state.selected() - 1);
    }

    void moveDown() {
        state = state.withSelected(state.selected() + 1);
    }

    void details() {
        ModelRow m = state.selectedModel();
        if (m != null && (m.state() == ModelRow.State.CORRUPT || m.state() == ModelRow.State.FAILED) && state.focus() != DashboardState.Pane.DETAILS) {
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
        // A download that failed on the network needs a retry; "repair" is for wrong bytes.
        String title = m.state() == ModelRow.State.CORRUPT ? "Repair " : "Retry ";
        return new Dialog(title + m.key(), lines, List.of(
                new Dialog.Choice('r', "Retry", () -> act(m, "retrying", "retrying", backend::download)),
                new Dialog.Choice('x', "Delete", () -> act(m, "deleting", "deleted", backend::delete))));
    }

    void download() {
        onSelected("queueing", "queued", backend::download);
    }

    /** Says which happened: a paused item resumes, anything else pauses. */
    void pauseOrResume() {
        ModelRow m = state.selectedModel();
        boolean paused = m != null && state.queue().items().stream()
                .anyMatch(i -> i.key().equals(m.key()) && i.state() == dev.modeldepot.queue.ItemState.PAUSED);
        onSelected(paused ? "resuming" : "pausing", paused ? "resumed" : "paused", backend::pauseOrResume);
    }

    void cancel() {
        onSelected("cancelling", "cancelled", backend::cancel);
    }

    void verify() {
        onSelected("verifying", "verifying", backend::verify);
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
                new Dialog.Choice('y', "Yes", () -> act(m, "deleting", "deleted", backend::delete)),
                new Dialog.Choice('n', "No", () -> state = state.withMessage("kept " + m.key())))));
    }

    void priority(int delta) {
        onSelected(delta > 0 ? "raising priority for" : "lowering priority for", delta > 0 ? "priority raised for" : "priority lowered for",
                key -> backend.priority(key, delta));
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
        java.util.Map<DashboardState.Mode, List<String>> other = new java.util.EnumMap<>(DashboardState.Mode.class);
        for (Binding b : Bindings.TABLE) {
            if (b.mode() == DashboardState.Mode.NORMAL) {
                lines.add(String.format("%-7s %s", b.keyLabel(), b.description()));
            } else {
                other.computeIfAbsent(b.mode(), k -> new ArrayList<>()).add(b.keyLabel() + " " + b.label().toLowerCase(java.util.Locale.ROOT));
            }
        }
        // The filter's and dialogs' keys on one line: the footer shows them whenever they apply.
        List<String> modes = new ArrayList<>();
        other.forEach((mode, keys) -> modes.add(mode.name().toLowerCase(java.util.Locale.ROOT) + ": " + String.join(", ", keys)));
        lines.add(String.join("; ", modes));
        lines.add("Esc or ? closes this help.");
        state = state.withDialog(new Dialog("Keys", lines, List.of(new Dialog.Choice('?', "Close", null),
                new Dialog.Choice('q', "Close", null))));
    }

    void quit() {
        quitRequested = true;
    }

    private void onSelected(String doing, String done, Consumer<String> action) {
        ModelRow m = state.selectedModel();
        if (m == null) {
            state = state.withMessage("no model selected");
            return;
        }
        act(m, doing, done, action);
    }

    /** Says what is under way now, runs the action on the actions executor, and posts its outcome for the next tick. */
    private void act(ModelRow m, String doing, String done, Consumer<String> action) {
        state = state.withMessage(doing + " " + m.key() + " …");
        actions.execute(() -> {
            try {
                action.accept(m.key());
                outcomes.add(done + " " + m.key());
            } catch (RuntimeException e) {
                outcomes.add("error: " + Errors.messageOf(e));
            }
        });
    }
}
