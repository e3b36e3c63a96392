package dev.modeldepot.demo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One generated demo file: a real format header followed by pseudo-random bytes that are a pure
 * function of (seed, offset). Any byte range can be produced without storing the file, so the
 * origin serves Range requests from memory and the registry's SHA-256 is computed at startup.
 *
 * @param corruptOnServer the origin flips one byte in the middle, so the download fails its SHA-256 check
 */
public record DemoFile(String name, String format, String role, byte[] header, long size, long seed, boolean corruptOnServer) {
    private static final int CHUNK = 64 * 1024;

    /** Fills {@code buffer[0..length)} with the clean content starting at {@code offset}. */
    public void fill(long offset, byte[] buffer, int length) {
        int i = 0;
        while (i < length && offset + i < header.length) {
            buffer[i] = header[(int) (offset + i)];
            i++;
        }
        long cachedIndex = -1;
        long word = 0;
        for (; i < length; i++) {
            long pos = offset + i;
            long index = pos >>> 3;
            if (index != cachedIndex) {
                // Counter-based generator: word n depends only on (seed, n), so any range is reproducible.
                word = mix(seed + index * 0x9E3779B97F4A7C15L);
                cachedIndex = index;
            }
            buffer[i] = (byte) (word >>> ((pos & 7) * 8));
        }
    }

    /** As {@link #fill}, with the deliberate server-side corruption applied. */
    public void fillServed(long offset, byte[] buffer, int length) {
        fill(offset, buffer, length);
        long bad = corruptionOffset();
        if (corruptOnServer && bad >= offset && bad < offset + length) {
            buffer[(int) (bad - offset)] ^= (byte) 0xFF;
        }
    }

    public long corruptionOffset() {
        return header.length + (size - header.length) / 2;
    }

    /** SHA-256 of the clean content: what the registry promises. */
    public String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[CHUNK];
            for (long pos = 0; pos < size; pos += CHUNK) {
                int n = (int) Math.min(CHUNK, size - pos);
                fill(pos, buffer, n);
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ETag that changes when the content would. */
    public String etag() {
        return "\"" + Long.toHexString(seed) + "-" + Long.toHexString(size) + "\"";
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
