package dev.modeldepot.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.SimpleTheme;
import com.googlecode.lanterna.gui2.AbsoluteLayout;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.ProgressBar;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Lanterna side: one full-screen window of panes placed by {@link ScreenLayout}, progress
 * bars over the queue pane, and a centred window while a dialog is open. {@link #render()} makes
 * the widgets show the controller's state; it runs on the GUI thread only.
 */
public final class DashboardView {
    private final WindowBasedTextGUI gui;
    private final DashboardController controller;
    private final Clock clock;
    private final BasicWindow main = new BasicWindow("Model Depot");
    private final Panel root = new Panel(new AbsoluteLayout());
    private final LinesView header = new LinesView(null);
    private final LinesView models = new LinesView("Models");
    private final LinesView queue = new LinesView("Queue");
    private final LinesView cache = new LinesView("Cache");
    private final LinesView details = new LinesView("Details");
    private final LinesView footer = new LinesView(null);
    private final List<ProgressBar> bars = new ArrayList<>();
    private final WindowListenerAdapter keys;
    private BasicWindow dialogWindow;
    private Dialog shownDialog;

    public DashboardView(WindowBasedTextGUI gui, DashboardController controller, Clock clock) {
        this.gui = gui;
        this.controller = controller;
        this.clock = clock;
        gui.setTheme(theme());
        main.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS));
        for (LinesView v : List.of(header, models, queue, cache, details, footer)) {
            root.addComponent(v);
        }
        main.setComponent(root);
        keys = new WindowListenerAdapter() {
            @Override
            public void onInput(Window window, KeyStroke key, AtomicBoolean deliverEvent) {
                deliverEvent.set(false);
                if (controller.handle(key)) {
                    render();
                }
            }

            @Override
            public void onResized(Window window, TerminalSize oldSize, TerminalSize newSize) {
                if (window == main && !newSize.equals(oldSize)) {
                    render();
                }
            }
        };
        main.addWindowListener(keys);
        gui.addWindow(main);
        render();
    }

    /** Default terminal colours, so the dashboard looks at home in any theme; bars fill in green. */
    static SimpleTheme theme() {
        SimpleTheme theme = new SimpleTheme(TextColor.ANSI.DEFAULT, TextColor.ANSI.DEFAULT);
        theme.getDefaultDefinition().setSelected(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
        theme.addOverride(ProgressBar.class, TextColor.ANSI.DEFAULT, TextColor.ANSI.BLACK_BRIGHT)
                .setActive(TextColor.ANSI.BLACK, TextColor.ANSI.GREEN);
        return theme;
    }

    public void render() {
        DashboardState s = controller.state();
        TerminalSize size = gui.getScreen().getTerminalSize();
        int cols = size.getColumns();
        List<StyledLine> footerLines = Views.footer(s, cols);
        ScreenLayout layout = ScreenLayout.compute(size, s.focus() == DashboardState.Pane.DETAILS, footerLines.size(),
                s.visibleModels().size());
        place(header, layout.header());
        header.show(null, false, List.of(Views.header(s, cols)));
        place(footer, layout.footer());
        footer.show(null, false, footerLines);
        place(models, layout.models());
        TerminalSize in = models.inner();
        String title = "Models " + s.visibleModels().size() + (s.filter().isEmpty() ? "" : " matching '" + s.filter() + "'");
        models.show(title, s.focus() == DashboardState.Pane.MODELS, Views.models(s, in.getColumns(), in.getRows(), clock.getZone()));
        place(cache, layout.cache());
        cache.show("Cache", false, PaneViews.cache(s, cache.inner().getColumns(), cache.inner().getRows()));
        place(details, layout.details());
        ModelRow m = s.selectedModel();
        details.show(m == null ? "Details" : "Details " + m.key(), s.focus() == DashboardState.Pane.DETAILS,
                PaneViews.details(s, details.inner().getColumns(), clock.getZone()));
        place(queue, layout.queue());
        in = queue.inner();
        PaneViews.Queue q = PaneViews.queue(s, in.getColumns(), in.getRows(), clock.instant());
        queue.show("Queue: " + s.queue().running() + " running, " + (s.queue().size() - s.queue().running()) + " waiting", false, q.lines());
        placeBars(layout.queue(), q.bars());
        renderDialog(s.dialog(), cols);
    }

    private static void place(LinesView view, ScreenLayout.Rect rect) {
        view.setVisible(rect.visible());
        view.setPosition(rect.position());
        view.setSize(rect.size());
    }

    private void placeBars(ScreenLayout.Rect area, List<PaneViews.Bar> specs) {
        while (bars.size() < specs.size()) {
            ProgressBar bar = new ProgressBar(0, 1000);
            bar.setLabelFormat("%2.0f%%");
            bars.add(bar);
            root.addComponent(bar);
        }
        for (int i = 0; i < bars.size(); i++) {
            ProgressBar bar = bars.get(i);
            boolean used = i < specs.size() && area.visible();
            bar.setVisible(used);
            if (used) {
                PaneViews.Bar spec = specs.get(i);
                bar.setPosition(new com.googlecode.lanterna.TerminalPosition(area.col() + 1 + spec.col(), area.row() + 1 + spec.row()));
                bar.setSize(new TerminalSize(spec.width(), 1));
                bar.setValue(spec.value());
            }
        }
        root.invalidate();
    }

    private void renderDialog(Dialog d, int cols) {
        if (d == null) {
            if (dialogWindow != null) {
                dialogWindow.close();
                dialogWindow = null;
                shownDialog = null;
            }
            return;
        }
        if (d.equals(shownDialog)) {
            return;
        }
        if (dialogWindow != null) {
            dialogWindow.close();
        }
        int width = Math.max(20, Math.min(76, cols - 6));
        LinesView dialogView = new LinesView(null);
        List<StyledLine> lines = new ArrayList<>(Views.dialog(d, width));
        int longest = lines.stream().mapToInt(StyledLine::length).max().orElse(10);
        dialogView.setPreferredSize(new TerminalSize(Math.min(width, Math.max(longest, d.title().length() + 4)), lines.size()));
        dialogView.setSize(dialogView.getPreferredSize());
        dialogView.show(null, false, lines);
        dialogWindow = new BasicWindow(dev.modeldepot.core.Printable.of(d.title()));
        dialogWindow.setHints(List.of(Window.Hint.CENTERED, Window.Hint.MODAL));
        dialogWindow.setComponent(dialogView);
        dialogWindow.addWindowListener(keys);
        gui.addWindow(dialogWindow);
        shownDialog = d;
    }
}
