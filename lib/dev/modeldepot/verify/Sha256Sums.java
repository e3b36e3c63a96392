package dev.modeldepot.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * coreutils SHA256SUMS files, read the way {@code sha256sum -c} reads them: "HEX  name" (text) or
 * "HEX *name" (binary marker, same bytes on Linux), BSD "SHA256 (name) = HEX" lines, a leading
 * backslash meaning the name has \\ , \n or \r escapes, '#' comments and blank lines ignored,
 * anything else counted as improperly formatted. Names resolve against the sums file's folder.
 */
public final class Sha256Sums {
    /** One well-formed line. */
    public record Entry(String name, String sha256, boolean binary, int line) {}

    /** A parsed file: its entries and how many lines were improperly formatted. */
    public record Parsed(Path folder, List<Entry> entries, int malformedLines) {
        /** The file an entry names: relative names are relative to the sums file's folder. */
        public Path resolve(Entry entry) {
            return folder.resolve(entry.name());
        }
    }

    private Sha256Sums() {}

    public static Parsed read(Path sumsFile) throws IOException {
        Path folder = sumsFile.toAbsolutePath().normalize().getParent();
        return parse(folder, Files.readString(sumsFile, StandardCharsets.ISO_8859_1));
    }

    /** Parses text decoded as ISO-8859-1, so any byte in a name survives (re-encoded as UTF-8 below). */
    public static Parsed parse(Path folder, String text) {
        List<Entry> entries = new ArrayList<>();
        int malformed = 0;
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        int[] bsdReversed = {-1};
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            if (line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                continue;
            }
            Entry e = parseLine(line, i + 1, bsdReversed);
            if (e == null) {
                malformed++;
            } else {
                entries.add(e);
            }
        }
        return new Parsed(folder, entries, malformed);
    }

    /**
     * One line, following coreutils' split_3: after the hex and one blank, " " or "*" marks text or
     * binary mode; otherwise the file uses the "HEX name" form, decided by its first line.
     */
    private static Entry parseLine(String line, int number, int[] bsdReversed) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        boolean escaped = i < line.length() && line.charAt(i) == '\\';
        if (escaped) {
            i++;
        }
        if (line.startsWith("SHA256 (", i)) {
            return tagged(line.substring(i + 8), escaped, number);
        }
        if (line.length() - i < 64 + 2 || !isHex(line.substring(i, i + 64))) {
            return null;
        }
        String hex = line.substring(i, i + 64);
        i += 64;
        char sep = line.charAt(i);
        if (sep != ' ' && sep != '\t') {
            return null;
        }
        i++;
        boolean binary = false;
        if (line.length() - i == 1 || (line.charAt(i) != ' ' && line.charAt(i) != '*')) {
            if (bsdReversed[0] == 0) {
                return null;
            }
            bsdReversed[0] = 1;
        } else if (bsdReversed[0] != 1) {
            bsdReversed[0] = 0;
            binary = line.charAt(i++) == '*';
        }
        return entry(line.substring(i), hex, binary, escaped, number);
    }

    /** "SHA256 (name) = HEX", after the opening "SHA256 (". */
    private static Entry tagged(String rest, boolean escaped, int number) {
        int close = rest.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String tail = rest.substring(close + 1).strip();
        if (!tail.startsWith("=")) {
            return null;
        }
        String hex = tail.substring(1).strip();
        return isHex(hex) ? entry(rest.substring(0, close), hex, false, escaped, number) : null;
    }

    private static Entry entry(String name, String hex, boolean binary, boolean escaped, int number) {
        String unescaped = escaped ? unescape(name) : name;
        if (unescaped == null) {
            return null;
        }
        String utf8 = new String(unescaped.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Entry(utf8, hex.toLowerCase(Locale.ROOT), binary, number);
    }

    private static String unescape(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == name.length()) {
                return null;
            }
            switch (name.charAt(i)) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> {
                    return null;
                }
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** One line as sha256sum writes it (text mode), escaping \, newline and carriage return. */
    public static String line(String sha256, String name) {
        boolean escape = name.indexOf('\\') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
        String shown = escape ? name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") : name;
        return (escape ? "\\" : "") + sha256.toLowerCase(Locale.ROOT) + "  " + shown + "\n";
    }

    /** The text of a sums file for (name, sha256) pairs, in the given order. */
    public static String format(List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(line(e.sha256(), e.name()));
        }
        return out.toString();
    }
}
