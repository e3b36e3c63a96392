package dev.modeldepot.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * Human output: colour only on a TTY and never when NO_COLOR is set; quiet mode keeps stdout
 * for results a script asked for. Colour is never the only signal: callers always print the
 * state word too.
 */
public final class Console {
    public enum Tone { OK, WARN, ERROR, DIM, BOLD }

    private final PrintStream out;
    private final PrintStream err;
    private final boolean colour;
    private final boolean quiet;
    private final boolean tty;

    public Console(PrintStream out, PrintStream err, boolean colour, boolean quiet, boolean tty) {
        this.out = out;
        this.err = err;
        this.colour = colour;
        this.quiet = quiet;
        this.tty = tty;
    }

    public static Console forStdout(Map<String, String> env, boolean quiet) {
        return forStdout(env, quiet, System.console() != null);
    }

    /** As {@link #forStdout(Map, boolean)}, told whether the output is a terminal. */
    public static Console forStdout(Map<String, String> env, boolean quiet, boolean tty) {
        boolean colour = tty && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
        return new Console(System.out, System.err, colour, quiet, tty);
    }

    public boolean isTty() {
        return tty;
    }

    public boolean isQuiet() {
        return quiet;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** A line of ordinary output (suppressed by --quiet). */
    public void info(String line) {
        if (!quiet) {
            out.println(line);
        }
    }

    /** A warning on stderr (also shown with --quiet: it is about something the user must know). */
    public void warn(String line) {
        err.println(paint(Tone.WARN, "warning: ") + dev.modeldepot.core.Printable.keepingLines(line));
    }

    public String paint(Tone tone, String text) {
        if (!colour) {
            return text;
        }
        String code = switch (tone) {
            case OK -> "32";
            case WARN -> "33";
            case ERROR -> "31";
            case DIM -> "2";
            case BOLD -> "1";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }
}
