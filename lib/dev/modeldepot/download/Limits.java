package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import java.time.Duration;
import java.time.Instant;

/**
 * The bounds a hostile or broken server runs into (see docs/design/security.md): how big a body
 * of unknown size may grow, how slow a connection may be, how long the whole run may take, and
 * which redirects are followed.
 *
 * @param maxSize               cap for a body whose size nobody announced; -1 means free space minus {@link #MARGIN}
 * @param minSpeed              bytes per second a connection must average over {@code minSpeedTime}; 0 turns it off
 * @param minSpeedTime          the window of the minimum speed (curl's --speed-time)
 * @param deadline              the instant the whole run gives up (null: no deadline)
 * @param allowInsecureRedirect follow a redirect from https to http (off: refused)
 */
public record Limits(long maxSize, long minSpeed, Duration minSpeedTime, Instant deadline, boolean allowInsecureRedirect) {
    /** Room left on the disk when --max-size is not given: the system and other programs need some too. */
    public static final long MARGIN = 256L << 20;
    public static final Limits DEFAULT = new Limits(-1, 1000, Duration.ofSeconds(60), null, false);

    public Limits {
        if (minSpeed < 0) {
            throw DepotException.badInput("--min-speed must not be negative");
        }
        if (minSpeedTime == null || minSpeedTime.isNegative() || minSpeedTime.isZero()) {
            throw DepotException.badInput("--min-speed-time must be a positive number of seconds");
        }
    }

    public Limits withMaxSize(long bytes) {
        return new Limits(bytes, minSpeed, minSpeedTime, deadline, allowInsecureRedirect);
    }

    public Limits withMinSpeed(long bytesPerSecond, Duration over) {
        return new Limits(maxSize, bytesPerSecond, over, deadline, allowInsecureRedirect);
    }

    public Limits withDeadline(Instant at) {
        return new Limits(maxSize, minSpeed, minSpeedTime, at, allowInsecureRedirect);
    }

    public Limits withInsecureRedirects(boolean allow) {
        return new Limits(maxSize, minSpeed, minSpeedTime, deadline, allow);
    }

    /** Milliseconds until the deadline (Long.MAX_VALUE without one, 0 once passed). */
    long millisLeft(Instant now) {
        return deadline == null ? Long.MAX_VALUE : Math.max(0, Duration.between(now, deadline).toMillis());
    }
}
