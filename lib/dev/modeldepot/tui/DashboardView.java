package dev.modeldepot.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.SimpleTheme;
import com.googlecode.lanterna.gui2.AbsoluteLayout;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import dev.modeldepot.queue.ItemState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Lanterna side: one full-screen window of panes placed by {@link ScreenLayout} and a centred
 * window while a dialog is open. {@link #render()} makes the widgets show the controller's state;
 * it runs on the GUI thread only. Progress bars are text ("[####....]") so they read without
 * colour; with NO_COLOR set no colour is sent at all, only bold and reverse video.
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
    private final boolean colour;
    private final WindowListenerAdapter keys;
    private BasicWindow dialogWindow;
    private Dialog shownDialog;

    public DashboardView(WindowBasedTextGUI gui, DashboardController controller, Clock clock) {
        this(gui, controller, clock, true);
    }

    /** @param colour false when NO_COLOR is set (https://no-color.org): no colour at all */
    public DashboardView(WindowBasedTextGUI gui, DashboardController controller, Clock clock, boolean colour) {
        this.gui = gui;
        this.controller = controller;
        this.clock = clock;
        this.colour = colour;
        gui.setTheme(theme(colour));
        main.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS));
        for (LinesView v : List.of(header, models, queue, cache, details, footer)) {
            root.addComponent(v.colour(colour));
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

    /** Default terminal colours, so the dashboard looks at home in any theme; no colour at all without colour. */
    static SimpleTheme theme(boolean colour) {
        SimpleTheme theme = new SimpleTheme(TextColor.ANSI.DEFAULT, TextColor.ANSI.DEFAULT);
        if (colour) {
            theme.getDefaultDefinition().setSelected(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
        } else {
            theme.getDefaultDefinition().setSelected(TextColor.ANSI.DEFAULT, TextColor.ANSI.DEFAULT, com.googlecode.lanterna.SGR.REVERSE);
        }
        return theme;
    }

    public void render() {
        DashboardState s = controller.state();
        TerminalSize size = gui.getScreen().getTerminalSize();
        int cols = size.getColumns();
        if (ScreenLayout.tooSmall(size)) {
            tooSmall(size);
            renderDialog(null, cols);
            return;
        }
        List<StyledLine> footerLines = Views.footer(s, cols);
        ScreenLayout layout = ScreenLayout.compute(size, s.focus() == DashboardState.Pane.DETAILS, footerLines.size(),
                s.visibleModels().size(), PaneViews.queueLines(s));
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
        PaneViews.Scrolled d = PaneViews.scroll(PaneViews.details(s, details.inner().getColumns(), clock.getZone()),
                s.detailsScroll(), details.inner().getRows());
        details.show(m == null ? "Details" : "Details " + m.key(), s.focus() == DashboardState.Pane.DETAILS, d.lines());
        place(queue, layout.queue());
        in = queue.inner();
        PaneViews.Scrolled q = PaneViews.scroll(PaneViews.queue(s, in.getColumns(), clock.instant()), s.queueScroll(), in.getRows());
        long paused = s.count(ItemState.PAUSED);
        queue.show("Queue: " + s.count(ItemState.DOWNLOADING) + " running, " + (paused > 0 ? paused + " paused, " : "")
                + s.count(ItemState.QUEUED) + " waiting", s.focus() == DashboardState.Pane.QUEUE, q.lines());
        controller.clampScroll(q.maxFirst(), d.maxFirst());
        renderDialog(s.dialog(), cols);
    }

    /** Below 80x24 the panes cannot show what they must: one clear screen says so instead. */
    private void tooSmall(TerminalSize size) {
        for (LinesView v : List.of(models, queue, cache, details, footer)) {
            v.setVisible(false);
        }
        place(header, new ScreenLayout.Rect(0, 0, size.getColumns(), size.getRows()));
        List<StyledLine> lines = new ArrayList<>();
        for (String part : Views.wrap("Model Depot: terminal too small (need " + ScreenLayout.MIN_COLUMNS + "x" + ScreenLayout.MIN_ROWS
                + ", have " + size.getColumns() + "x" + size.getRows() + "); q quits", size.getColumns())) {
            lines.add(StyledLine.of(part, StyledLine.Tone.WARN));
        }
        header.show(null, false, lines);
    }

    private static void place(LinesView view, ScreenLayout.Rect rect) {
        view.setVisible(rect.visible());
        view.setPosition(rect.position());
        view.setSize(rect.size());
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
        LinesView dialogView = new LinesView(null).colour(colour);
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
