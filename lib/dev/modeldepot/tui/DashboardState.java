package dev.modeldepot.tui;

import dev.modeldepot.queue.QueueSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Everything the screen shows, as one immutable value: the UI is a function of it. Workers produce
 * {@link Data} and {@link QueueSnapshot}s; the GUI thread combines them with what the user did.
 *
 * @param selected      index into {@link #visibleModels()}
 * @param filterEditing true while '/' is collecting filter text
 * @param dialog        the open dialog, or null
 * @param message       the last status line ("queued demo-llava:q4_k_m"), or null
 */
public record DashboardState(Data data, QueueSnapshot queue, int selected, String filter, boolean filterEditing,
                             Pane focus, Dialog dialog, String message, int queueScroll, int detailsScroll) {
    /**
     * What the backend knows about the store and its models.
     *
     * @param backend    who runs the downloads, for the header: "local queue" or "via service on :PORT"
     * @param storeUsage bytes the store holds (shared files once, partials included), -1 when unknown
     */
    public record Data(String storePath, String backend, long freeDisk, long budget, long storeUsage, List<ModelRow> models) {
        public Data {
            models = List.copyOf(models);
        }

        /** The same figures under another header label ("service not answering since …" comes and goes between scans). */
        public Data withBackend(String label) {
            return label.equals(backend) ? this : new Data(storePath, label, freeDisk, budget, storeUsage, models);
        }

        /** The store's own figure; the sum of the rows only when the store could not say. */
        public long totalOnDisk() {
            return storeUsage >= 0 ? storeUsage : models.stream().mapToLong(ModelRow::bytesOnDisk).sum();
        }
    }

    /** Which pane has the user's attention (Tab moves it; PgUp/PgDn scroll it); DETAILS gives the details pane more room. */
    public enum Pane { MODELS, QUEUE, DETAILS }

    /** Which keys apply now: the footer shows only these, and only these are handled. */
    public enum Mode { NORMAL, FILTER, DIALOG }

    public static DashboardState initial(Data data, QueueSnapshot queue) {
        return new DashboardState(data, queue, 0, "", false, Pane.MODELS, null, null, 0, 0);
    }

    public Mode mode() {
        return dialog != null ? Mode.DIALOG : filterEditing ? Mode.FILTER : Mode.NORMAL;
    }

    /** Queue items by what they are doing: paused ones are not "waiting" (they wait for the user, not for a slot). */
    public long count(dev.modeldepot.queue.ItemState state) {
        return queue.items().stream().filter(i -> i.state() == state).count();
    }

    /** Models matching the filter (id or variant contains it, case-insensitive). */
    public List<ModelRow> visibleModels() {
        if (filter.isEmpty()) {
            return data.models();
        }
        String f = filter.toLowerCase(Locale.ROOT);
        return data.models().stream().filter(m -> m.key().toLowerCase(Locale.ROOT).contains(f)).toList();
    }

    /** The selected model, or null when nothing matches. */
    public ModelRow selectedModel() {
        List<ModelRow> rows = visibleModels();
        return rows.isEmpty() ? null : rows.get(Math.max(0, Math.min(selected, rows.size() - 1)));
    }

    public DashboardState withData(Data d, QueueSnapshot q) {
        return clamp(new DashboardState(d, q, selected, filter, filterEditing, focus, dialog, message, queueScroll, detailsScroll));
    }

    public DashboardState withSelected(int s) {
        // Another model's details start at their top.
        return clamp(new DashboardState(data, queue, s, filter, filterEditing, focus, dialog, message, queueScroll, s == selected ? detailsScroll : 0));
    }

    public DashboardState withFilter(String f, boolean editing) {
        return clamp(new DashboardState(data, queue, selected, f, editing, focus, dialog, message, queueScroll, detailsScroll));
    }

    public DashboardState withFocus(Pane p) {
        return new DashboardState(data, queue, selected, filter, filterEditing, p, dialog, message, queueScroll, detailsScroll);
    }

    public DashboardState withDialog(Dialog d) {
        return new DashboardState(data, queue, selected, filter, filterEditing, focus, d, message, queueScroll, detailsScroll);
    }

    public DashboardState withMessage(String m) {
        return new DashboardState(data, queue, selected, filter, filterEditing, focus, dialog, m, queueScroll, detailsScroll);
    }

    /** The first line shown in the queue and details panes (the views clamp it to what exists). */
    public DashboardState withScroll(int queueFirst, int detailsFirst) {
        return new DashboardState(data, queue, selected, filter, filterEditing, focus, dialog, message,
                Math.max(0, queueFirst), Math.max(0, detailsFirst));
    }

    private DashboardState clamp(DashboardState s) {
        int n = s.visibleModels().size();
        int sel = n == 0 ? 0 : Math.max(0, Math.min(s.selected, n - 1));
        return sel == s.selected ? s : new DashboardState(s.data, s.queue, sel, s.filter, s.filterEditing, s.focus, s.dialog, s.message,
                s.queueScroll, s.detailsScroll);
    }
}
