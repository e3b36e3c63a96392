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
    BAD_FORMAT,
    /**
     * A store file whose blob is sound, but the path apps open is not that blob (replaced by
     * another file, or a symbolic link elsewhere). Not corruption of the store's bytes: linking it
     * again repairs it, so it counts like a missing file (exit 1).
     */
    DAMAGED_LINK;

    /** True for the verdicts that mean "the bytes are damaged or wrong": never use such a file. */
    public boolean corrupt() {
        return this == WRONG_SIZE || this == HASH_MISMATCH || this == BAD_FORMAT;
    }

    /** True when the file can be used. */
    public boolean usable() {
        return this == OK || this == UNVERIFIABLE;
    }

    /** 3 corrupt, 1 missing (or a damaged link), 0 ok. */
    public ExitCode exitCode() {
        if (corrupt()) {
            return ExitCode.INTEGRITY;
        }
        return this == MISSING || this == DAMAGED_LINK ? ExitCode.FAILED : ExitCode.OK;
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
