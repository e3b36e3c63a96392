package dev.modeldepot.download;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a resume needs, saved atomically beside the partial file. Never holds a secret: the URL
 * is stored redacted plus a hash of the full URL (to notice a different source), no headers.
 *
 * @param url           the URL, redacted (for people reading the file)
 * @param urlHash       SHA-256 of the full URL
 * @param size          remote size, -1 when unknown
 * @param etag          validator sent back in If-Range (null when the server gave none)
 * @param lastModified  the other validator, used when there is no ETag
 * @param segmentSize   how the file was cut, so segments line up again
 * @param completed     byte ranges [from, to) already on disk
 * @param hashedBytes   how far the hash had got (informational: the digest itself is recomputed on resume)
 * @param sha256        the expected SHA-256 of the whole file, null when the request gave none: the
 *                      partial belongs to it, so another URL for the same SHA-256 may resume it
 */
record PartialState(int version, String url, String urlHash, long size, String etag, String lastModified,
                    long segmentSize, List<long[]> completed, long hashedBytes, String sha256) {
    static final int VERSION = 1;

    PartialState {
        completed = completed == null ? List.of() : List.copyOf(completed);
    }

    /** A state that does not say which file it is for (written before sha256 was recorded). */
    PartialState(int version, String url, String urlHash, long size, String etag, String lastModified,
                 long segmentSize, List<long[]> completed, long hashedBytes) {
        this(version, url, urlHash, size, etag, lastModified, segmentSize, completed, hashedBytes, null);
    }

    @JsonIgnore
    long completedBytes() {
        return completed.stream().mapToLong(r -> r[1] - r[0]).sum();
    }

    /** The validator for If-Range: the ETag if strong or weak, else Last-Modified. */
    @JsonIgnore
    String validator() {
        return etag != null ? etag : lastModified;
    }

    /**
     * Temp file plus atomic rename, but no fsync: a killed process loses nothing (the page cache
     * survives it), and after a power loss a state that claims unsynced bytes only costs a
     * re-download, because nothing becomes visible before the SHA-256 matches. An fsync every
     * save would force the whole dirty partial file out on ext4 and stall the transfer.
     */
    void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, toJson().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.move(tmp, file);
    }

    /**
     * Written by hand rather than with Jackson: saving happens before the first byte, and
     * starting Jackson there cost a few hundred milliseconds of every short download.
     * Jackson reads it back ({@link #load}).
     */
    String toJson() {
        StringBuilder b = new StringBuilder(128 + completed.size() * 24);
        b.append("{\"version\":").append(version)
                .append(",\"url\":").append(quote(url))
                .append(",\"urlHash\":").append(quote(urlHash))
                .append(",\"size\":").append(size)
                .append(",\"etag\":").append(quote(etag))
                .append(",\"lastModified\":").append(quote(lastModified))
                .append(",\"segmentSize\":").append(segmentSize)
                .append(",\"completed\":[");
        for (int i = 0; i < completed.size(); i++) {
            b.append(i == 0 ? "" : ",").append('[').append(completed.get(i)[0]).append(',').append(completed.get(i)[1]).append(']');
        }
        return b.append("],\"hashedBytes\":").append(hashedBytes).append(",\"sha256\":").append(quote(sha256)).append('}').toString();
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The saved state, or null when there is none or it cannot be read (then we start over). */
    static PartialState load(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            PartialState s = Json.MAPPER.readValue(file.toFile(), PartialState.class);
            return s.version == VERSION ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String hash(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
