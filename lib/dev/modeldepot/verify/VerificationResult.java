package dev.modeldepot.verify;

import java.nio.file.Path;

/**
 * What verifying one file found. Immutable; crosses threads from the verifier pool.
 *
 * @param size           the actual size, -1 when missing
 * @param expectedSha256 lowercase hex, null when there is no checksum
 * @param actualSha256   lowercase hex, null when not hashed (missing, wrong size)
 * @param detail         one sentence for the user
 * @param seconds        wall time spent on this file
 */
public record VerificationResult(Path path, long size, String expectedSha256, String actualSha256,
                                 FormatCheck formatCheck, Verdict verdict, String detail, double seconds) {

    public static VerificationResult missing(Path path, String expectedSha256, String format) {
        return new VerificationResult(path, -1, expectedSha256, null,
                FormatCheck.notChecked(format, "file is missing"), Verdict.MISSING, "file is missing", 0);
    }
}
