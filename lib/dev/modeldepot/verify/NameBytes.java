package dev.modeldepot.verify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file name as the bytes the file system holds, whatever the locale. On Linux a name is any
 * bytes but NUL; Java turns names into Strings through {@code sun.jnu.encoding}, which comes from
 * the locale and cannot be overridden on JDK 17 (with LANG=C it is ASCII, and Path.of("café")
 * throws InvalidPathException; with UTF-8, a latin1 byte becomes U+FFFD and the file cannot be
 * named). A {@code file:} URI is the one public door that carries raw bytes both ways: its path
 * is percent-encoded from a Path's own bytes, and Path.of(URI) builds a Path from decoded bytes.
 *
 * @param latin1 the bytes, one char per byte (ISO-8859-1), so the record compares and hashes by value
 */
public record NameBytes(String latin1) implements Comparable<NameBytes> {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static NameBytes of(byte[] bytes) {
        return new NameBytes(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** A name typed as text (a registry path, a test's name): its UTF-8 bytes. */
    public static NameBytes ofText(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of {@code file}'s path below {@code root}, '/' separated, as the file system holds them. */
    public static NameBytes relative(Path root, Path file) {
        byte[] r = rawPath(root.toAbsolutePath());
        byte[] f = rawPath(file.toAbsolutePath());
        int skip = r.length + (r.length > 0 && r[r.length - 1] == '/' ? 0 : 1);
        if (f.length < skip || !Arrays.equals(r, 0, r.length, f, 0, r.length)) {
            return of(f);
        }
        return of(Arrays.copyOfRange(f, skip, f.length));
    }

    /** The bytes of a path (absolute, as the file system holds them). */
    public static NameBytes ofPath(Path path) {
        return of(rawPath(path.toAbsolutePath()));
    }

    public byte[] bytes() {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The file this name denotes: relative names below {@code folder}, absolute ones as they are. */
    public Path resolveIn(Path folder) {
        byte[] name = bytes();
        if (name.length > 0 && name[0] == '/') {
            return fromRawPath(name);
        }
        byte[] base = rawPath(folder.toAbsolutePath());
        byte[] joined = new byte[base.length + 1 + name.length];
        System.arraycopy(base, 0, joined, 0, base.length);
        joined[base.length] = '/';
        System.arraycopy(name, 0, joined, base.length + 1, name.length);
        return fromRawPath(joined);
    }

    /** The name as text when its bytes are UTF-8, else null. */
    public String utf8() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * How the name is printed, on one line, coreutils' way: as it is when it is UTF-8 without
     * newline or carriage return; otherwise a leading backslash, then {@code \\}, {@code \n},
     * {@code \r} and, for bytes that are not UTF-8, {@code \xHH}.
     */
    public String shown() {
        String text = utf8();
        if (text != null && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder("\\");
        byte[] b = bytes();
        int i = 0;
        while (i < b.length) {
            int n = utf8Length(b, i);
            if (n == 0) {
                out.append("\\x").append(HEX[(b[i] >> 4) & 15]).append(HEX[b[i] & 15]);
                i++;
                continue;
            }
            String c = new String(b, i, n, StandardCharsets.UTF_8);
            out.append(switch (c) {
                case "\\" -> "\\\\";
                case "\n" -> "\\n";
                case "\r" -> "\\r";
                default -> c;
            });
            i += n;
        }
        return out.toString();
    }

    /** How a path is printed: {@link #shown()} of its bytes (identical to toString() for UTF-8 names). */
    public static String show(Path path) {
        NameBytes bytes = of(rawPath(path));
        String text = bytes.utf8();
        return text != null && text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? path.toString() : bytes.shown();
    }

    @Override
    public int compareTo(NameBytes other) {
        return Arrays.compareUnsigned(bytes(), other.bytes());
    }

    @Override
    public String toString() {
        return shown();
    }

    /** Length of the valid UTF-8 sequence starting at i, or 0 when the byte there starts none. */
    private static int utf8Length(byte[] b, int i) {
        int lead = b[i] & 0xff;
        int n = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
        if (n == 0 || i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return 0;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, i, n));
            return n;
        } catch (CharacterCodingException e) {
            return 0; // overlong or surrogate forms
        }
    }

    /** A path's bytes; relative paths stay relative (the URI is made absolute, then trimmed back). */
    static byte[] rawPath(Path path) {
        if (!path.isAbsolute()) {
            Path cwd = Path.of("").toAbsolutePath();
            byte[] all = rawPath(cwd.resolve(path));
            byte[] base = rawPath(cwd);
            int skip = base.length + (base[base.length - 1] == '/' ? 0 : 1);
            return all.length >= skip ? Arrays.copyOfRange(all, skip, all.length) : all;
        }
        String raw = path.toUri().getRawPath();
        // toUri() adds a '/' to a folder that exists; the path's own bytes have none.
        if (raw.length() > 1 && raw.endsWith("/") && !path.toString().endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A Path made from raw bytes (absolute, no NUL), never through the locale's charset. */
    static Path fromRawPath(byte[] absolute) {
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : absolute) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~".indexOf(c) >= 0)) {
                uri.append((char) c);
            } else {
                uri.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        try {
            return Path.of(new URI(uri.toString()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot name " + of(absolute).shown(), e);
        }
    }
}
