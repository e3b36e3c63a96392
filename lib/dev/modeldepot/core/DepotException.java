package dev.modeldepot.core;

/**
 * "Stop with this exit code and this one sentence." Thrown anywhere in the engine; mapped to the
 * process exit code in exactly one place (dev.modeldepot.cli.Cli). The message is what the user reads, so it
 * must be one clear sentence with no secrets in it. Unchecked, so an app catches it where it
 * wants to; the subclasses name the exit codes ({@link BadInput} 2, {@link Failed} 1,
 * {@link Integrity} 3, {@link Interrupted} 130) for a catch by kind.
 */
public class DepotException extends RuntimeException {
    private final ExitCode exitCode;

    public DepotException(ExitCode exitCode, String message) {
        this(exitCode, message, null);
    }

    public DepotException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Bad usage or input (exit 2): a malformed registry, an unknown model, a bad option. */
    public static class BadInput extends DepotException {
        public BadInput(String message) {
            super(ExitCode.BAD_INPUT, message);
        }
    }

    /** Something failed or is missing (exit 1): network after retries, disk full, not ready. */
    public static class Failed extends DepotException {
        public Failed(String message, Throwable cause) {
            super(ExitCode.FAILED, message, cause);
        }
    }

    /** A file is corrupt (exit 3): wrong size, wrong SHA-256, failed structural check. */
    public static class Integrity extends DepotException {
        public Integrity(String message) {
            super(ExitCode.INTEGRITY, message);
        }
    }

    /** Stopped on request (exit 130); partial downloads are kept for a resume. */
    public static class Interrupted extends DepotException {
        public Interrupted(String message) {
            super(ExitCode.INTERRUPTED, message);
        }
    }

    public static DepotException badInput(String message) {
        return new BadInput(message);
    }

    public static DepotException failed(String message) {
        return new Failed(message, null);
    }

    public static DepotException failed(String message, Throwable cause) {
        return new Failed(message, cause);
    }

    public static DepotException integrity(String message) {
        return new Integrity(message);
    }

    public static DepotException interrupted(String message) {
        return new Interrupted(message);
    }
}
