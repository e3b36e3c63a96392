package dev.modeldepot.verify;

import dev.modeldepot.core.Errors;
import dev.modeldepot.core.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Verifies one file: the structural check of its format (positional reads of headers only, cheap),
 * then one streaming read with a large buffer that hashes every byte. Thread-safe; each call has
 * its own buffer.
 */
public final class FileVerifier {
    /** Large enough that per-call overhead vanishes, small enough for several threads at once. */
    public static final int BUFFER_BYTES = Hashing.BUFFER_BYTES;

    /**
     * @param expectedSha256 64-hex, any case; null when there is no checksum
     * @param expectedSize   -1 when unknown
     * @param format         null to go by the extension
     * @param bytesHashed    told how many bytes each read added (for progress); may be null
     */
    public VerificationResult verify(Path file, String expectedSha256, long expectedSize, String format,
                                     LongConsumer bytesHashed) throws IOException {
        long started = System.nanoTime();
        String expected = expectedSha256 == null ? null : expectedSha256.toLowerCase(Locale.ROOT);
        String fmt = FormatChecks.formatOf(file, format);
        if (!Files.isRegularFile(file)) {
            return VerificationResult.missing(file, expected, fmt);
        }
        long size;
        FormatCheck formatCheck;
        String actual = null;
        try {
            size = Files.size(file);
            formatCheck = FormatChecks.check(file, format);
            if (expectedSize >= 0 && size != expectedSize) {
                // Not hashed: a file of the wrong size cannot match, and hashing 20 GB to say so wastes minutes.
                return new VerificationResult(file, size, expected, null, formatCheck, Verdict.WRONG_SIZE,
                        "size is " + size + " bytes, expected " + expectedSize + (size < expectedSize ? " (truncated or incomplete)" : ""),
                        secondsSince(started));
            }
            actual = sha256(file, bytesHashed);
        } catch (java.io.InterruptedIOException e) {
            throw e;
        } catch (NoSuchFileException e) {
            return VerificationResult.missing(file, expected, fmt);
        } catch (IOException e) {
            // Like sha256sum's "FAILED open or read": this file is unusable, the run goes on.
            String why = dev.modeldepot.core.Errors.messageOf(e);
            return new VerificationResult(file, -1, expected, null, FormatCheck.notChecked(fmt, "cannot read the file"),
                    Verdict.MISSING, "cannot read the file: " + why, secondsSince(started));
        }
        return judge(file, size, expected, actual, formatCheck, secondsSince(started));
    }

    /** The verdict from the facts: a checksum decides; without one, the structure does. */
    static VerificationResult judge(Path file, long size, String expected, String actual, FormatCheck fc, double seconds) {
        if (expected != null && !expected.equals(actual)) {
            return new VerificationResult(file, size, expected, actual, fc, Verdict.HASH_MISMATCH,
                    "SHA-256 mismatch" + (fc.ok() ? "" : "; " + fc.detail()), seconds);
        }
        if (!fc.ok()) {
            if (expected != null) {
                // The bytes are exactly the publisher's: the declared format is what is wrong.
                return new VerificationResult(file, size, expected, actual, fc, Verdict.OK,
                        "checksum matches, but " + fc.detail() + " (is the declared format right?)", seconds);
            }
            return new VerificationResult(file, size, null, actual, fc, Verdict.BAD_FORMAT, fc.detail(), seconds);
        }
        if (expected == null) {
            return new VerificationResult(file, size, null, actual, fc, Verdict.UNVERIFIABLE,
                    "no checksum to compare with; " + (fc.checked() ? "structure ok" : fc.detail()), seconds);
        }
        return new VerificationResult(file, size, expected, actual, fc, Verdict.OK,
                "checksum matches" + (fc.checked() ? ", structure ok" : "; " + fc.detail()), seconds);
    }

    /** SHA-256 of a file as lowercase hex (see {@link Hashing#sha256(Path, LongConsumer)}). */
    public static String sha256(Path file, LongConsumer bytesHashed) throws IOException {
        return Hashing.sha256(file, bytesHashed);
    }

    static MessageDigest newDigest() {
        return Hashing.newDigest();
    }

    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
