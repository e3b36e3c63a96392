package dev.modeldepot.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;

/**
 * What a full verification pass saw, so a later check can trust an unchanged file without
 * re-hashing it: size, modification time and file key (inode) must all still match.
 */
public record Stamp(long size, long mtimeMillis, String fileKey, String sha256, Instant verifiedAt) {

    /** Stamps the file as it is now, with the hash a full pass computed. */
    public static Stamp of(Path file, String sha256, Instant now) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(attrs.size(), attrs.lastModifiedTime().toMillis(), fileKey(attrs), sha256, now);
    }

    /** True when the file still has the size, mtime and file key it had when stamped. */
    public boolean stillMatches(Path file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            return attrs.size() == size && attrs.lastModifiedTime().toMillis() == mtimeMillis
                    && Objects.equals(fileKey(attrs), fileKey);
        } catch (IOException e) {
            return false;
        }
    }

    private static String fileKey(BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        return key == null ? null : key.toString();
    }
}
