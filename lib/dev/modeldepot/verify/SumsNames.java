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
    public static String whyUnsafe(Path folder, String name, boolean willChangeFiles) {
        if (name.isEmpty()) {
            return "an empty name";
        }
        if (name.startsWith("/") || name.startsWith("\\") || Path.of(name.replace('\0', '_')).isAbsolute()
                || name.matches("^[A-Za-z]:.*")) {
            return "an absolute name";
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "a '..' segment";
            }
        }
        if (name.indexOf('\0') >= 0) {
            return "a NUL byte";
        }
        if (willChangeFiles) {
            Path target = folder.resolve(name).normalize();
            Path parent = target.getParent();
            try {
                if (parent != null && Files.exists(parent) && !parent.toRealPath().startsWith(folder.toRealPath())) {
                    return "a folder link leading out of " + folder;
                }
            } catch (IOException e) {
                return "a folder that cannot be resolved (" + e.getClass().getSimpleName() + ")";
            }
        }
        return null;
    }
}
