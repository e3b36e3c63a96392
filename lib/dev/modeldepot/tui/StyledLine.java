package dev.modeldepot.tui;

import java.util.ArrayList;
import java.util.List;

/** A line of text in pieces, each with a tone the view maps to colours. */
public record StyledLine(List<Span> spans) {
    public StyledLine {
        spans = List.copyOf(spans);
    }

    /** How a piece of text looks; the text itself always carries the meaning too. */
    public enum Tone { NORMAL, OK, WARN, ERROR, INFO, DIM, BOLD, KEY, SELECTED }

    /** Text from outside (server errors, registry names) is escaped here, the one door to the screen. */
    public record Span(String text, Tone tone) {
        public Span {
            text = dev.modeldepot.core.Printable.of(text);
        }
    }

    public static StyledLine of(String text) {
        return of(text, Tone.NORMAL);
    }

    public static StyledLine of(String text, Tone tone) {
        return new StyledLine(List.of(new Span(text, tone)));
    }

    public static StyledLine empty() {
        return new StyledLine(List.of());
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        spans.forEach(s -> sb.append(s.text()));
        return sb.toString();
    }

    public int length() {
        return text().length();
    }

    /** Builds a line piece by piece. */
    public static final class Builder {
        private final List<Span> spans = new ArrayList<>();

        public Builder add(String text, Tone tone) {
            spans.add(new Span(text, tone));
            return this;
        }

        public Builder add(String text) {
            return add(text, Tone.NORMAL);
        }

        public int length() {
            return spans.stream().mapToInt(s -> s.text().length()).sum();
        }

        public StyledLine build() {
            return new StyledLine(spans);
        }
    }

    /** Pads with spaces or cuts with an ellipsis to exactly {@code width} characters. */
    public static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        String t = text == null ? "" : text;
        if (t.length() > width) {
            return width == 1 ? "…" : t.substring(0, width - 1) + "…";
        }
        return t + " ".repeat(width - t.length());
    }

    /** Cuts with an ellipsis to at most {@code width} characters, without padding. */
    public static String cut(String text, int width) {
        return text.length() <= width ? text : fit(text, width);
    }
}
