package dev.modeldepot.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** The one mapping from a throwable to an exit code and a one-sentence message. */
public final class Errors {
    private Errors() {}

    public static ExitCode exitCodeOf(Throwable ex) {
        if (ex instanceof DepotException d) {
            return d.exitCode();
        }
        if (ex instanceof InterruptedException) {
            return ExitCode.INTERRUPTED;
        }
        return ExitCode.FAILED;
    }

    /** EROFS, as the JDK reports it (the reason is the C library's text). */
    public static boolean isReadOnly(FileSystemException e) {
        return e.getReason() != null && e.getReason().toLowerCase(java.util.Locale.ROOT).contains("read-only file system");
    }

    /** One sentence describing a throwable, with no stack trace and no secrets. */
    public static String messageOf(Throwable ex) {
        if (ex instanceof DepotException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u) {
            return messageOf(u.getCause());
        }
        if (ex instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile();
        }
        if (ex instanceof AccessDeniedException e) {
            return "cannot write " + e.getFile() + ": permission denied";
        }
        if (ex instanceof FileSystemException e && isReadOnly(e)) {
            return "cannot write " + e.getFile() + ": read-only file system";
        }
        if (ex instanceof FileSystemException e) {
            return e.getFile() + ": " + (e.getReason() == null ? "file system error" : e.getReason());
        }
        if (ex instanceof IOException) {
            return "I/O error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        }
        if (ex instanceof InterruptedException) {
            return "interrupted";
        }
        return "unexpected " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }
}
