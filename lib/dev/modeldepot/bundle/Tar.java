package dev.modeldepot.bundle;

import dev.modeldepot.core.DepotException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The POSIX tar (ustar + pax) headers a bundle needs: regular files only, any size, any name
 * length. Written by hand, not with a compression library, to keep the embeddable core at two
 * dependencies; GNU tar reads what this writes and this reads what GNU tar writes (BundleTest).
 */
final class Tar {
    static final int BLOCK = 512;

    /** One header as parsed: a regular file ('0'), a directory ('5'), pax data ('x'/'g'), or the end (zeros). */
    record Header(String name, long size, char type, boolean end) {
        long paddedSize() {
            return padded(size);
        }
    }

    private Tar() {}

    static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** The header block(s) for a regular file: a pax record first when the name or size does not fit ustar. */
    static byte[] fileHeader(String name, long size, long mtimeSeconds) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        boolean longName = utf8.length > 100 || !isAscii(utf8);
        boolean bigSize = size >= 077777777777L;
        if (!longName && !bigSize) {
            return ustar(name, size, '0', mtimeSeconds);
        }
        StringBuilder pax = new StringBuilder();
        if (longName) {
            pax.append(record("path", name));
        }
        if (bigSize) {
            pax.append(record("size", Long.toString(size)));
        }
        byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BLOCK + (int) padded(data.length) + BLOCK];
        System.arraycopy(ustar("PaxHeaders/" + shortName(name), data.length, 'x', mtimeSeconds), 0, out, 0, BLOCK);
        System.arraycopy(data, 0, out, BLOCK, data.length);
        byte[] main = ustar(shortName(name), bigSize ? 0 : size, '0', mtimeSeconds);
        System.arraycopy(main, 0, out, out.length - BLOCK, BLOCK);
        return out;
    }

    /** Two zero blocks end an archive. */
    static byte[] end() {
        return new byte[2 * BLOCK];
    }

    private static String record(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) {
            total++;
        }
        return total + body;
    }

    private static String shortName(String name) {
        String ascii = name.replaceAll("[^ -~]", "_");
        return ascii.length() <= 100 ? ascii : ascii.substring(ascii.length() - 100);
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 32 || x > 126) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ustar(String name, long size, char type, long mtime) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.US_ASCII));
        octal(h, 100, 8, 0444);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, int len, byte[] value) {
        System.arraycopy(value, 0, h, off, Math.min(len, value.length));
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    /** Parses one header block; pax overrides from a preceding 'x' record are applied by the caller. */
    static Header parse(ByteBuffer block, String where) {
        byte[] h = new byte[BLOCK];
        block.get(h);
        boolean zero = true;
        for (byte b : h) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return new Header(null, 0, '\0', true);
        }
        long stored = number(h, 148, 8, where);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        if (sum != stored) {
            throw bad(where + " is not a tar header (checksum mismatch)");
        }
        String name = cString(h, 0, 100);
        if ("ustar".equals(cString(h, 257, 6).trim()) && h[345] != 0) {
            name = cString(h, 345, 155) + "/" + name;
        }
        char type = (char) (h[156] == 0 ? '0' : h[156]);
        return new Header(name, number(h, 124, 12, where), type, false);
    }

    /** "path" and "size" from a pax data block; other keys are ignored. */
    static String[] paxPathAndSize(byte[] data, String where) {
        String path = null;
        String size = null;
        int i = 0;
        while (i < data.length && data[i] != 0) {
            int sp = indexOf(data, (byte) ' ', i);
            if (sp < 0) {
                throw bad(where + " has a malformed pax record");
            }
            int len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            if (len <= sp - i || i + len > data.length) {
                throw bad(where + " has a malformed pax record");
            }
            String rec = new String(data, sp + 1, len - (sp - i) - 2, StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0) {
                String key = rec.substring(0, eq);
                if (key.equals("path")) {
                    path = rec.substring(eq + 1);
                } else if (key.equals("size")) {
                    size = rec.substring(eq + 1);
                }
            }
            i += len;
        }
        return new String[] {path, size};
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String cString(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long number(byte[] h, int off, int len, String where) {
        if ((h[off] & 0x80) != 0) {
            // GNU base-256 for sizes past the octal field's reach.
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw bad(where + " has a size beyond any disk");
                }
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = cString(h, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw bad(where + " has a malformed number field");
        }
    }

    static DepotException bad(String message) {
        return DepotException.badInput("bad bundle: " + message);
    }
}
