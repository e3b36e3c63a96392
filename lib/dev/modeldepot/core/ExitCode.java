package dev.modeldepot.core;

/** The exit codes every Model Depot command uses, with the same meaning everywhere. */
public enum ExitCode {
    OK(0),
    /** Something failed or is missing (network after retries, HTTP 4xx, disk full, not ready). */
    FAILED(1),
    /** Bad usage or bad input (a malformed registry, an unknown model, a bad flag). */
    BAD_INPUT(2),
    /** A file is corrupt: wrong size, wrong SHA-256, failed structural check. */
    INTEGRITY(3),
    /** Interrupted by the user; state was saved. */
    INTERRUPTED(130);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The more severe of two outcomes: integrity beats failure beats success. */
    public ExitCode worst(ExitCode other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(ExitCode c) {
        return switch (c) {
            case OK -> 0;
            case FAILED -> 1;
            case BAD_INPUT -> 2;
            case INTEGRITY -> 3;
            case INTERRUPTED -> 4;
        };
    }
}
