package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * The one way the engine waits (backoff, Retry-After, lock polls, rate limiting): in short steps,
 * so a Ctrl-C, a queue cancel or the deadline ends the wait within {@link #STEP_MILLIS}, however
 * long the server asked us to wait.
 */
final class Sleeper {
    static final long STEP_MILLIS = 50;

    private Sleeper() {}

    /** Waits up to {@code millis}; returns false at once when {@code stop} turns true. */
    static boolean sleep(long millis, BooleanSupplier stop) throws InterruptedException {
        long end = System.nanoTime() + Math.max(0, millis) * 1_000_000;
        while (true) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return true;
            }
            Thread.sleep(Math.min(STEP_MILLIS, Math.max(1, left)));
        }
    }

    /**
     * A backoff before the next attempt: ends early with exit 130 on cancel, or exit 1 when the
     * deadline comes first.
     */
    static void backoff(long millis, Cancellation cancel, Limits limits, Clock clock, String label, String kept) throws InterruptedException {
        sleep(millis, () -> cancel.isCancelled() || limits.millisLeft(clock.instant()) == 0);
        checkStop(cancel, limits, clock, label, kept);
    }

    /** Throws when the run was cancelled or its deadline passed; {@code kept} says what stays on disk. */
    static void checkStop(Cancellation cancel, Limits limits, Clock clock, String label, String kept) {
        if (cancel.isCancelled()) {
            throw DepotException.interrupted("download of " + label + " interrupted; " + kept);
        }
        if (limits.millisLeft(clock.instant()) == 0) {
            throw DepotException.failed("the --deadline passed before " + label + " finished; " + kept);
        }
    }
}
