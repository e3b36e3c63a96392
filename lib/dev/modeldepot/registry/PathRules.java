package dev.modeldepot.registry;

import java.util.regex.Pattern;

/** Registry paths must stay inside the variant's folder on every OS. */
public final class PathRules {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final Pattern BAD_CHARS = Pattern.compile("[\\x00-\\x1f<>:\"|?*]");

    private PathRules() {}

    /** Null when the relative path is safe, else the reason it is not. */
    public static String whyUnsafe(String path) {
        if (path.isEmpty()) {
            return "empty";
        }
        if (path.startsWith("/")) {
            return "absolute";
        }
        if (path.contains("\\")) {
            return "contains a backslash";
        }
        if (DRIVE.matcher(path).matches()) {
            return "has a drive letter";
        }
        if (BAD_CHARS.matcher(path).find() || !dev.modeldepot.core.Printable.isClean(path)) {
            return "contains a character not allowed in file names";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "has an empty segment";
            }
            if (segment.equals("..") || segment.equals(".")) {
                return "has a '" + segment + "' segment";
            }
        }
        return null;
    }
}
