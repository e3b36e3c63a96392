package dev.modeldepot.cli;

import dev.modeldepot.core.Errors;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * A file-system error says what is wrong and what to do: where the file came from decides the
 * advice (the store: --cache-dir or MODELDEPOT_CACHE; a download target: another -o).
 */
final class FileErrorHints {
    private FileErrorHints() {}

    static String message(Throwable ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message = Errors.messageOf(ex);
        FileSystemException fs = fileError(ex);
        if (fs == null || fs.getFile() == null || !(fs instanceof AccessDeniedException || Errors.isReadOnly(fs))) {
            return message;
        }
        message = Errors.messageOf(fs); // the file and what is wrong with it, not a wrapper's summary
        Path file = Path.of(fs.getFile()).toAbsolutePath().normalize();
        try {
            Path store = CommonOptions.of(cmd.getCommandSpec()).storeRoot();
            if (file.startsWith(store)) {
                return message + "; choose a writable store with --cache-dir DIR or MODELDEPOT_CACHE";
            }
        } catch (IllegalStateException noCommonOptions) {
            // a command without the shared options has no store
        }
        if (parsed != null && parsed.subcommands().isEmpty() && parsed.hasMatchedOption("-o")) {
            return message + "; choose another -o";
        }
        return message;
    }

    static FileSystemException fileError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException f) {
                return f;
            }
        }
        return null;
    }
}
