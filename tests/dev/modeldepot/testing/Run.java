package dev.modeldepot.testing;

import dev.modeldepot.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs a picocli command in-process, capturing stdout, stderr and the exit code. */
public record Run(int exitCode, String out, String err) {
    public static Run of(Object command, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter picoErr = new StringWriter();
        StringWriter picoOut = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine.class.getName();
            int code = Cli.executeWith(command, new PrintWriter(picoOut, true), new PrintWriter(picoErr, true), args);
            return new Run(code, out.toString(StandardCharsets.UTF_8) + picoOut, err.toString(StandardCharsets.UTF_8) + picoErr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
