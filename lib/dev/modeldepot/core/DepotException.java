package dev.modeldepot.core;

/**
 * "Stop with this exit code and this one sentence." Thrown anywhere in the engine; mapped to the
 * process exit code in exactly one place (dev.modeldepot.cli.Cli). The message is what the user reads, so it
 * must be one clear sentence with no secrets in it.
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

    public static DepotException badInput(String message) {
        return new DepotException(ExitCode.BAD_INPUT, message);
    }

    public static DepotException failed(String message) {
        return new DepotException(ExitCode.FAILED, message);
    }

    public static DepotException failed(String message, Throwable cause) {
        return new DepotException(ExitCode.FAILED, message, cause);
    }

    public static DepotException integrity(String message) {
        return new DepotException(ExitCode.INTEGRITY, message);
    }

    public static DepotException interrupted(String message) {
        return new DepotException(ExitCode.INTERRUPTED, message);
    }
}
