package dev.modeldepot.verify;

import dev.modeldepot.core.ExitCode;
import java.util.Collection;

/** The outcome of verifying one file, in the user's words. */
public enum Verdict {
    /** Checksum matched (or an unchanged stamp vouches for it). */
    OK,
    /** No checksum to compare with, but the structure (if checkable) is fine. */
    UNVERIFIABLE,
    /** The file is not there, or cannot be read (sha256sum -c: "FAILED open or read"). */
    MISSING,
    /** Present, but not the size the registry says. */
    WRONG_SIZE,
    /** Present, right size, wrong SHA-256. */
    HASH_MISMATCH,
    /** No checksum to go by and the structural check of its format failed. */
    BAD_FORMAT;

    /** True for the verdicts that mean "the bytes are damaged or wrong": never use such a file. */
    public boolean corrupt() {
        return this == WRONG_SIZE || this == HASH_MISMATCH || this == BAD_FORMAT;
    }

    /** True when the file can be used. */
    public boolean usable() {
        return this == OK || this == UNVERIFIABLE;
    }

    /** 3 corrupt, 1 missing, 0 ok. */
    public ExitCode exitCode() {
        if (corrupt()) {
            return ExitCode.INTEGRITY;
        }
        return this == MISSING ? ExitCode.FAILED : ExitCode.OK;
    }

    /** The exit code of a whole run: any corruption 3, else any missing 1, else 0. */
    public static ExitCode exitCodeOf(Collection<Verdict> verdicts) {
        ExitCode code = ExitCode.OK;
        for (Verdict v : verdicts) {
            code = code.worst(v.exitCode());
        }
        return code;
    }
}
