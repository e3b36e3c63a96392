package dev.modeldepot.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which names in a sums file are safe to act on. A release's SHA256SUMS describes the files
 * beside it, so a name is read relative to the sums file's folder and must stay there: no
 * absolute names, no ".." segments, and (before a delete or a move) no folder link on the way
 * that leads out of that folder. A hostile sums file otherwise makes --delete remove any file
 * the user can write.
 */
public final class SumsNames {
    private SumsNames() {}

    /** Why {@code name} may not be used, or null when it stays inside {@code folder}. */
    public static String whyUnsafe(Path folder, NameBytes name, boolean willChangeFiles) {
        String raw = name.latin1(); // one char per byte: '/', '.' and letters are themselves
        if (raw.isEmpty()) {
            return "an empty name";
        }
        if (raw.startsWith("/") || raw.startsWith("\\") || raw.matches("^[A-Za-z]:.*")) {
            return "an absolute name";
        }
        for (String segment : raw.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "a '..' segment";
            }
        }
        if (willChangeFiles) {
            try {
                Path parent = name.resolveIn(folder).getParent();
                if (parent != null && Files.exists(parent) && !parent.toRealPath().startsWith(folder.toRealPath())) {
                    return "a folder link leading out of " + NameBytes.show(folder);
                }
            } catch (IOException | RuntimeException e) {
                return "a folder that cannot be resolved (" + e.getClass().getSimpleName() + ")";
            }
        }
        return null;
    }
}
