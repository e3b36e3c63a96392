package dev.modeldepot.core;

/**
 * Makes text from outside (HTTP headers, server error bodies, registry fields, file names)
 * safe to show on a terminal, write to a log or draw on the dashboard: every control character
 * (C0, DEL, C1) and every invisible formatting character (bidi overrides, zero-width marks) is
 * written as an escape, {@code \x1b} or {@code \u202e}. A string like "ESC]0;title BEL" would
 * otherwise retitle the user's terminal, hide text or crash a screen library that refuses
 * control characters. One function, used wherever such text crosses into output.
 */
public final class Printable {
    private Printable() {}

    /** {@code text} with control and formatting characters escaped; null stays null. */
    public static String of(String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!unsafe(cp)) {
                out.appendCodePoint(cp);
            } else if (cp < 0x100) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.append(String.format(cp > 0xffff ? "\\U%08x" : "\\u%04x", cp));
            }
        }
        return out.toString();
    }

    /** As {@link #of}, but line breaks stay (for multi-line output such as tables); each line is escaped. */
    public static String keepingLines(String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lines[i] = of(lines[i]);
        }
        return String.join("\n", lines);
    }

    /** True when {@code text} holds no character {@link #of} would escape. */
    public static boolean isClean(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (unsafe(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean unsafe(int cp) {
        if (Character.isISOControl(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.SURROGATE || cp == 0x2028 || cp == 0x2029;
    }
}
