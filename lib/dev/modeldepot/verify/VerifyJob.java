package dev.modeldepot.verify;

import java.nio.file.Path;

/**
 * One file to verify.
 *
 * @param model          "model:variant" for store files, null for ad-hoc files
 * @param name           how the user knows the file (its registry path, its sums-file name)
 * @param stampKey       key in the StampBook; null to neither trust nor record stamps
 * @param expectedSha256 null when unknown
 * @param expectedSize   -1 when unknown
 * @param format         null to go by the extension
 */
public record VerifyJob(String model, String name, Path path, String stampKey, String expectedSha256,
                        long expectedSize, String format) {

    /**
     * An ad-hoc file, stamped by its absolute path; a format given explicitly is part of the key,
     * because a stamp only vouches for the structural check it passed.
     */
    public static VerifyJob ofFile(Path path, String expectedSha256, long expectedSize, String format) {
        String key = StampBook.keyOf(path) + (format == null ? "" : " as " + format.toLowerCase(java.util.Locale.ROOT));
        return new VerifyJob(null, NameBytes.show(path), path, key, expectedSha256, expectedSize, format);
    }
}
