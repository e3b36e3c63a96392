package dev.modeldepot.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import java.util.List;

/**
 * A pane of styled lines, optionally boxed with a title. It only draws what it is given: the
 * lines are computed from the state for exactly this pane's size before it is drawn.
 */
public final class LinesView extends AbstractComponent<LinesView> {
    private String title;
    private boolean focused;
    private List<StyledLine> lines = List.of();
    private boolean colour = true;

    /** Without colour (NO_COLOR) tones become bold and reverse video only; every word still says what it means. */
    public LinesView colour(boolean on) {
        colour = on;
        return this;
    }

    /** @param title null for a pane without a box (header, footer) */
    public LinesView(String title) {
        this.title = title;
    }

    public boolean boxed() {
        return title != null;
    }

    /** Size available for lines inside the box. */
    public TerminalSize inner() {
        TerminalSize s = getSize();
        return boxed() ? new TerminalSize(Math.max(0, s.getColumns() - 2), Math.max(0, s.getRows() - 2)) : s;
    }

    public void show(String newTitle, boolean newFocused, List<StyledLine> newLines) {
        if (!newLines.equals(lines) || focused != newFocused || (title != null && !title.equals(newTitle))) {
            title = title == null ? null : newTitle;
            focused = newFocused;
            lines = List.copyOf(newLines);
            invalidate();
        }
    }

    public List<StyledLine> lines() {
        return lines;
    }

    static void style(TextGUIGraphics g, StyledLine.Tone tone, boolean colour) {
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        g.clearModifiers();
        if (!colour) {
            switch (tone) {
                case ERROR, BOLD -> g.enableModifiers(SGR.BOLD);
                case KEY, SELECTED -> g.enableModifiers(SGR.REVERSE);
                default -> { }
            }
            return;
        }
        switch (tone) {
            case OK -> g.setForegroundColor(TextColor.ANSI.GREEN);
            case WARN -> g.setForegroundColor(TextColor.ANSI.YELLOW);
            case ERROR -> g.setForegroundColor(TextColor.ANSI.RED).enableModifiers(SGR.BOLD);
            case INFO -> g.setForegroundColor(TextColor.ANSI.CYAN);
            case DIM -> g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
            case BOLD -> g.enableModifiers(SGR.BOLD);
            case KEY -> g.setForegroundColor(TextColor.ANSI.BLACK).setBackgroundColor(TextColor.ANSI.CYAN);
            case SELECTED -> g.enableModifiers(SGR.REVERSE);
            default -> { }
        }
    }

    @Override
    protected ComponentRenderer<LinesView> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(LinesView component) {
                return component.getSize() == null ? TerminalSize.ONE : component.getSize();
            }

            @Override
            public void drawComponent(TextGUIGraphics g, LinesView v) {
                TerminalSize size = g.getSize();
                style(g, StyledLine.Tone.NORMAL, v.colour);
                g.fill(' ');
                int offset = 0;
                if (v.boxed() && size.getColumns() >= 2 && size.getRows() >= 2) {
                    drawBox(g, size, v.title, v.focused, v.colour);
                    offset = 1;
                }
                int width = size.getColumns() - 2 * offset;
                int rows = size.getRows() - 2 * offset;
                for (int r = 0; r < Math.min(rows, v.lines.size()); r++) {
                    int col = 0;
                    for (StyledLine.Span span : v.lines.get(r).spans()) {
                        if (col >= width) {
                            break;
                        }
                        String text = span.text().length() > width - col ? span.text().substring(0, width - col) : span.text();
                        style(g, span.tone(), v.colour);
                        g.putString(offset + col, offset + r, text);
                        col += text.length();
                    }
                }
            }
        };
    }

    private static void drawBox(TextGUIGraphics g, TerminalSize size, String title, boolean focused, boolean colour) {
        style(g, focused ? StyledLine.Tone.INFO : StyledLine.Tone.DIM, colour);
        int w = size.getColumns();
        int h = size.getRows();
        char hz = focused ? '═' : '─';
        char vt = focused ? '║' : '│';
        g.drawLine(1, 0, w - 2, 0, hz);
        g.drawLine(1, h - 1, w - 2, h - 1, hz);
        g.drawLine(0, 1, 0, h - 2, vt);
        g.drawLine(w - 1, 1, w - 1, h - 2, vt);
        g.setCharacter(0, 0, focused ? '╔' : '┌');
        g.setCharacter(w - 1, 0, focused ? '╗' : '┐');
        g.setCharacter(0, h - 1, focused ? '╚' : '└');
        g.setCharacter(w - 1, h - 1, focused ? '╝' : '┘');
        if (!title.isEmpty() && w > 4) {
            style(g, focused ? StyledLine.Tone.INFO : StyledLine.Tone.BOLD, colour);
            g.putString(2, 0, StyledLine.cut(" " + dev.modeldepot.core.Printable.of(title) + " ", w - 4));
        }
    }
}
