package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Errors;
import dev.modeldepot.core.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * The one place where exceptions become exit codes and one sentence for the user. Stack traces
 * are printed only with -v/--verbose.
 */
public final class Cli {
    private Cli() {}

    /** Runs a picocli command with the suite's error handling and exits the JVM. */
    public static void main(Object command, String[] args) {
        tuneJvm();
        // A name's bytes are printed as they are (UTF-8), whatever the locale: Java would print '?' under LANG=C.
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8));
        System.exit(execute(command, args));
    }

    /**
     * JVM-wide settings the JDK reads once, when its HTTP classes load. The library never sets
     * them (an app embedding it owns its JVM); the commands own theirs, so they set them here,
     * first thing, unless given with -D:
     * <ul>
     *   <li>sun.net.httpserver.maxReqTime/maxRspTime: the service's server otherwise waits forever
     *       for a slow request or a client that stops reading (docs/design/service.md).
     * </ul>
     */
    static void tuneJvm() {
        setIfUnset("sun.net.httpserver.maxReqTime", "10"); // a real client sends its request in milliseconds
        setIfUnset("sun.net.httpserver.maxRspTime", "60");
    }

    private static void setIfUnset(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    public static int execute(Object command, String... args) {
        return executeWith(command, null, null, args);
    }

    /** As {@link #execute}, with picocli's own output (help, usage errors) sent where tests want it. */
    public static int executeWith(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = newCommandLine(command);
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
        boolean json = Arrays.stream(args).anyMatch(a -> a.equals("--json"));
        cl.setExecutionExceptionHandler(new ExecutionErrors(verbose, json));
        cl.setParameterExceptionHandler(new UsageErrors(json));
        return cl.execute(args);
    }

    /*
     * The two handlers are named classes, not lambdas: picocli's interfaces are Java 5 class files,
     * and a lambda for one makes the class-data dump (install-commands) link it at dump time and
     * leave it, and every class implementing it, out of the archive (docs/design/distribution.md).
     */

    /** An exception from a command: one line (the stack trace with --verbose), the exit code it maps to. */
    private record ExecutionErrors(boolean verbose, boolean json) implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            String hinted = FileErrorHints.message(ex, cmd, parseResult);
            int code = report(ex, hinted, cmd.getErr(), verbose, cmd.getCommandSpec().root().name());
            if (json) {
                printFailedEvent(cmd.getOut(), code, hinted);
            }
            return code;
        }
    }

    /** A usage error: one line naming the command and its --help, exit code 2. */
    private record UsageErrors(boolean json) implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] argv) {
            CommandLine where = ex.getCommandLine();
            PrintWriter usageErr = where.getErr();
            String name = where.getCommandSpec().qualifiedName();
            usageErr.println(where.getCommandSpec().root().name() + ": " + ex.getMessage() + suggestion(ex)
                    + " (run '" + name + " --help' for usage)");
            if (json) {
                printFailedEvent(where.getOut(), ExitCode.BAD_INPUT.code, ex.getMessage());
            }
            return ExitCode.BAD_INPUT.code;
        }
    }

    /** picocli's "did you mean" for a mistyped option or subcommand, folded into the one error line. */
    static String suggestion(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?";
        }
        return "";
    }

    /** With --json a failure is also an event on stdout: {"event":"failed","error":{"code":N,"message":"..."}}. */
    static void printFailedEvent(PrintWriter out, int code, String message) {
        out.println(failedEvent(code, message));
        out.flush();
    }

    public static String failedEvent(int code, String message) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("code", code);
        error.put("message", dev.modeldepot.core.Redact.text(message));
        java.util.Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("event", "failed");
        event.put("error", error);
        return dev.modeldepot.core.Json.line(event);
    }

    public static CommandLine newCommandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        HelpSections.addTo(cl);
        return cl;
    }

    /** Maps any throwable to its exit code and prints one sentence (plus the trace if verbose). */
    public static int report(Throwable ex, PrintWriter err, boolean verbose, String commandName) {
        return report(ex, messageOf(ex), err, verbose, commandName);
    }

    /** One line on stderr, whatever happened; the trace follows only with --verbose. */
    static int report(Throwable ex, String message, PrintWriter err, boolean verbose, String commandName) {
        ExitCode code = exitCodeOf(ex);
        boolean expected = ex instanceof DepotException || ex instanceof IOException || ex instanceof UncheckedIOException;
        err.println(commandName + ": error: " + dev.modeldepot.core.Printable.keepingLines(dev.modeldepot.core.Redact.text(message))
                + (verbose || expected ? "" : " (run again with --verbose for details)"));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code.code;
    }

    public static ExitCode exitCodeOf(Throwable ex) {
        return Errors.exitCodeOf(ex);
    }

    public static String messageOf(Throwable ex) {
        return Errors.messageOf(ex);
    }
}
