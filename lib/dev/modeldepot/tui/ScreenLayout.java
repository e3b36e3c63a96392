package dev.modeldepot.tui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;

/**
 * Where each pane goes for a terminal size: a pure function, recomputed on every resize. Below
 * 140 columns the panes stack (models, queue beside cache, details); from 140 columns on, models
 * and queue take the left, details and cache the right. Giving the details pane the focus (Enter)
 * hands it the queue and cache rows on a narrow screen. The queue gets the rows its lines want
 * (two per running download) up to 40% of the body, so at 80x24 every running download shows.
 * Below {@link #MIN_COLUMNS}x{@link #MIN_ROWS} the view shows "terminal too small" instead.
 */
public record ScreenLayout(Rect header, Rect models, Rect queue, Rect cache, Rect details, Rect footer) {
    public static final int WIDE_COLUMNS = 140;
    public static final int MIN_COLUMNS = 80;
    public static final int MIN_ROWS = 24;

    public static boolean tooSmall(TerminalSize size) {
        return size.getColumns() < MIN_COLUMNS || size.getRows() < MIN_ROWS;
    }

    /** A rectangle in screen cells; zero width or height means the pane is hidden. */
    public record Rect(int col, int row, int width, int height) {
        public Rect {
            // A terminal shrunk below 80x24 squeezes panes to nothing rather than to negative sizes.
            width = Math.max(0, width);
            height = Math.max(0, height);
        }

        public TerminalPosition position() {
            return new TerminalPosition(col, row);
        }

        public TerminalSize size() {
            return new TerminalSize(width, height);
        }

        public boolean visible() {
            return width > 0 && height > 0;
        }
    }

    /** @param modelRows rows the models table holds, so a short table leaves its space to the details pane */
    public static ScreenLayout compute(TerminalSize size, boolean detailsFocused, int footerLines, int modelRows) {
        return compute(size, detailsFocused, footerLines, modelRows, 4);
    }

    /** @param queueLines lines the queue pane wants (its box adds two) */
    public static ScreenLayout compute(TerminalSize size, boolean detailsFocused, int footerLines, int modelRows, int queueLines) {
        int cols = size.getColumns();
        int rows = size.getRows();
        int footerH = Math.min(footerLines, Math.max(0, rows - 2));
        Rect header = new Rect(0, 0, cols, 1);
        Rect footer = new Rect(0, rows - footerH, cols, footerH);
        int top = 1;
        int body = Math.max(0, rows - 1 - footerH);
        if (cols >= WIDE_COLUMNS) {
            // The right column wants 76 cells, enough for a whole sha256 with its label.
            int right = Math.min(cols / 2, Math.max(cols * 2 / 5, 76));
            int left = cols - right;
            int queueH = Math.max(6, Math.min(body / 2, queueLines + 2));
            int cacheH = Math.max(6, body * 2 / 5);
            return new ScreenLayout(header,
                    new Rect(0, top, left, body - queueH), new Rect(0, top + body - queueH, left, queueH),
                    new Rect(left, top + body - cacheH, right, cacheH), new Rect(left, top, right, body - cacheH), footer);
        }
        // The queue carries progress bars and figures: it gets the larger share of the middle row.
        int half = cols * 3 / 5;
        if (detailsFocused) {
            int modelsH = Math.max(5, Math.min(modelRows + 3, body / 2));
            return new ScreenLayout(header, new Rect(0, top, cols, modelsH), new Rect(0, top, 0, 0), new Rect(0, top, 0, 0),
                    new Rect(0, top + modelsH, cols, body - modelsH), footer);
        }
        int middleH = Math.max(6, Math.min(body * 2 / 5, queueLines + 2));
        int detailsH = Math.max(6, body * 28 / 100);
        int modelsH = Math.max(3, Math.min(modelRows + 3, body - middleH - detailsH));
        return new ScreenLayout(header, new Rect(0, top, cols, modelsH),
                new Rect(0, top + modelsH, half, middleH), new Rect(half, top + modelsH, cols - half, middleH),
                new Rect(0, top + modelsH + middleH, cols, body - modelsH - middleH), footer);
    }
}
