package dev.modeldepot.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * coreutils SHA256SUMS files, read byte for byte the way {@code sha256sum -c} (coreutils 9.1,
 * {@code split_3}) reads them: "HEX  name" (text) or "HEX *name" (binary marker, same bytes on
 * Linux), the "HEX name" form decided by the first line, BSD "SHA256 (name) = HEX" lines (also
 * OpenSSL's "SHA256(name)= HEX"), a leading backslash meaning the name has \\ , \n or \r escapes,
 * '#' comments and blank lines ignored, one CR before the LF dropped, anything else counted as
 * improperly formatted. Names are bytes ({@link NameBytes}): a NUL ends a plain name as it ends a
 * C string, and makes an escaped one malformed. Names resolve against the sums file's folder.
 */
public final class Sha256Sums {
    /** One well-formed line. */
    public record Entry(NameBytes name, String sha256, boolean binary, int line) {}

    /** A parsed file: its entries and how many lines were improperly formatted. */
    public record Parsed(Path folder, List<Entry> entries, int malformedLines) {
        /** The file an entry names: relative names are relative to the sums file's folder. */
        public Path resolve(Entry entry) {
            return entry.name().resolveIn(folder);
        }
    }

    private static final byte[] TAG = "SHA256".getBytes(StandardCharsets.US_ASCII);

    private Sha256Sums() {}

    public static Parsed read(Path sumsFile) throws IOException {
        Path folder = sumsFile.toAbsolutePath().normalize().getParent();
        return parse(folder, Files.readAllBytes(sumsFile));
    }

    /** Parses text given as a Java string (its UTF-8 bytes). */
    public static Parsed parse(Path folder, String text) {
        return parse(folder, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Parsed parse(Path folder, byte[] content) {
        List<Entry> entries = new ArrayList<>();
        int malformed = 0;
        int[] bsdReversed = {-1};
        int number = 0;
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            number++;
            byte[] line = Arrays.copyOfRange(content, start, end);
            start = end + 1;
            int length = line.length;
            if (length > 0 && line[0] == '#') {
                continue;
            }
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (length == 0) {
                continue;
            }
            Entry e = new Line(Arrays.copyOf(line, length)).parse(number, bsdReversed);
            if (e == null) {
                malformed++;
            } else {
                entries.add(e);
            }
        }
        return new Parsed(folder, entries, malformed);
    }

    /** One line without its end, read as C reads it: past the end there is a NUL. */
    private record Line(byte[] s) {
        int at(int i) {
            return i < s.length ? s[i] & 0xff : 0;
        }

        static boolean white(int c) {
            return c == ' ' || c == '\t';
        }

        Entry parse(int number, int[] bsdReversed) {
            int i = 0;
            while (white(at(i))) {
                i++;
            }
            boolean escaped = at(i) == '\\';
            if (escaped) {
                i++;
            }
            if (Arrays.equals(s, i, Math.min(s.length, i + TAG.length), TAG, 0, TAG.length)) {
                i += TAG.length;
                if (at(i) == ' ') {
                    i++;
                }
                return at(i) == '(' ? tagged(i + 1, escaped, number) : null;
            }
            if (s.length - i < 64 + 2 + (at(i) == '\\' ? 1 : 0)) {
                return null;
            }
            String hex = hexAt(i);
            i += 64;
            if (!white(at(i)) || hex == null) {
                return null;
            }
            i++;
            boolean binary = false;
            if (s.length - i == 1 || (at(i) != ' ' && at(i) != '*')) {
                if (bsdReversed[0] == 0) {
                    return null; // no mixing with the "HEX  name" form: a leading blank could rename a file
                }
                bsdReversed[0] = 1;
            } else if (bsdReversed[0] != 1) {
                bsdReversed[0] = 0;
                binary = at(i++) == '*';
            }
            NameBytes name = name(i, s.length, escaped);
            return name == null ? null : new Entry(name, hex, binary, number);
        }

        /** "name) = HEX" from {@code from}: the name ends at the last ')'; blanks around '=', nothing after the hex. */
        private Entry tagged(int from, boolean escaped, int number) {
            int close = s.length - 1;
            while (close > from && s[close] != ')') {
                close--;
            }
            if (close < from || s[close] != ')') {
                return null;
            }
            NameBytes name = name(from, close, escaped);
            if (name == null) {
                return null;
            }
            int i = close + 1;
            while (white(at(i))) {
                i++;
            }
            if (at(i) != '=') {
                return null;
            }
            i++;
            while (white(at(i))) {
                i++;
            }
            String hex = hexAt(i);
            return hex != null && at(i + 64) == 0 ? new Entry(name, hex, false, number) : null;
        }

        /** 64 hex digits at i, lower-cased, or null. */
        private String hexAt(int i) {
            StringBuilder hex = new StringBuilder(64);
            for (int k = i; k < i + 64; k++) {
                int c = at(k);
                if (Character.digit(c, 16) < 0 || c > 'f') {
                    return null;
                }
                hex.append((char) Character.toLowerCase(c));
            }
            return hex.toString();
        }

        /** The name in [from, to): a plain one ends at its first NUL; an escaped one is unescaped (NUL = malformed). */
        private NameBytes name(int from, int to, boolean escaped) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = from; i < to; i++) {
                int c = s[i] & 0xff;
                if (c == 0 && !escaped) {
                    break;
                }
                if (c == 0) {
                    return null;
                }
                if (c == '\\' && escaped) {
                    if (++i == to) {
                        return null;
                    }
                    switch (s[i]) {
                        case '\\' -> out.write('\\');
                        case 'n' -> out.write('\n');
                        case 'r' -> out.write('\r');
                        default -> {
                            return null;
                        }
                    }
                } else {
                    out.write(c);
                }
            }
            return NameBytes.of(out.toByteArray());
        }
    }

    /** One line as sha256sum writes it (text mode), escaping \\, newline and carriage return. */
    public static byte[] line(String sha256, NameBytes name) {
        byte[] bytes = name.bytes();
        boolean escape = false;
        for (byte b : bytes) {
            escape |= b == '\\' || b == '\n' || b == '\r';
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (escape) {
            out.write('\\');
        }
        out.writeBytes((sha256.toLowerCase(Locale.ROOT) + "  ").getBytes(StandardCharsets.US_ASCII));
        for (byte b : bytes) {
            if (escape && (b == '\\' || b == '\n' || b == '\r')) {
                out.write('\\');
                out.write(b == '\\' ? '\\' : b == '\n' ? 'n' : 'r');
            } else {
                out.write(b);
            }
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** As {@link #line(String, NameBytes)} for a name given as text (its UTF-8 bytes). */
    public static String line(String sha256, String name) {
        return new String(line(sha256, NameBytes.ofText(name)), StandardCharsets.UTF_8);
    }

    /** The bytes of a sums file for (name, sha256) pairs, in the given order. */
    public static byte[] format(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            out.writeBytes(line(e.sha256(), e.name()));
        }
        return out.toByteArray();
    }
}
