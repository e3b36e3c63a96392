package dev.modeldepot.core;

/**
 * Speed and time left as a person reads them on a live line, from (time, bytes moved) samples.
 * The speed meters answer "how fast in the last seconds", which is what a stall check needs; an
 * ETA computed from that jumps with every sample (four times a second on the dashboard). So here:
 * <ul>
 *   <li>The <b>resume point</b> is the last sample before new bytes arrived. Bytes already on disk
 *       and the time spent connecting or validating a kept partial are neither speed nor a slow
 *       start: after a resume the speed starts at what the connection really does.
 *   <li>The <b>rate</b> is the plain average since the resume point until that is
 *       {@link #SMOOTHING_MILLIS} old, then an exponential average with that time constant: every
 *       second counts, older ones less, and none drops out of a window at once.
 *   <li><b>No new byte for {@link #STALL_MILLIS}</b>: speed 0, time left unknown, and the next
 *       bytes start a new resume point (what came before the stall says little about after it).
 *   <li>The <b>time left</b> is unknown until bytes flowed for {@link #FIRST_ETA_MILLIS}, then
 *       recomputed at most once every {@link #HOLD_MILLIS}: a line redrawn four times a second
 *       shows a figure that changes once a second.
 * </ul>
 * Times come from the caller (its injected clock), so tests are exact. Not thread-safe: one per
 * transfer, used under its owner's lock.
 */
public final class Eta {
    public static final long SMOOTHING_MILLIS = 15_000;
    public static final long STALL_MILLIS = 5_000;
    public static final long FIRST_ETA_MILLIS = 1_000;
    public static final long HOLD_MILLIS = 1_000;

    /** @param etaSeconds -1 when unknown */
    public record Reading(double bytesPerSecond, long etaSeconds) {
        public static final Reading UNKNOWN = new Reading(0, -1);
    }

    private boolean started;
    private boolean flowing;
    private long lastMillis;
    private long lastBytes;
    private long resumeMillis;
    private long lastNewBytesMillis;
    private double rate;
    private long shownEta = -1;
    private long shownAtMillis;

    /**
     * @param nowMillis  the caller's clock
     * @param movedBytes a count that grows as bytes arrive (what it starts at does not matter);
     *                   a smaller count than last time starts afresh
     * @param bytesLeft  what remains to fetch, -1 when the size is unknown
     */
    public Reading update(long nowMillis, long movedBytes, long bytesLeft) {
        if (!started || movedBytes < lastBytes) {
            restart(nowMillis, movedBytes);
            return Reading.UNKNOWN;
        }
        long now = Math.max(nowMillis, lastMillis);
        long dt = now - lastMillis;
        long db = movedBytes - lastBytes;
        if (dt == 0) {
            // Bytes at the same instant as the last sample count in the next interval.
            return flowing ? new Reading(rate, eta(now, bytesLeft)) : Reading.UNKNOWN;
        }
        if (!flowing) {
            if (db == 0) {
                lastMillis = now; // nothing yet: the resume point moves along until bytes arrive
                return Reading.UNKNOWN;
            }
            flowing = true;
            resumeMillis = lastMillis;
            rate = db * 1000.0 / dt;
            lastNewBytesMillis = now;
        } else if (db == 0 && now - lastNewBytesMillis >= STALL_MILLIS) {
            restart(now, movedBytes);
            return Reading.UNKNOWN;
        } else {
            if (db > 0) {
                lastNewBytesMillis = now;
            }
            double sinceResume = now - resumeMillis;
            // Early on the plain average since the resume point (weight dt/elapsed), later the exponential one.
            double weight = Math.max(dt / sinceResume, 1 - Math.exp(-dt / (double) SMOOTHING_MILLIS));
            rate += weight * (db * 1000.0 / dt - rate);
        }
        lastMillis = now;
        lastBytes = movedBytes;
        return new Reading(rate, eta(now, bytesLeft));
    }

    private long eta(long now, long bytesLeft) {
        if (bytesLeft < 0 || rate <= 0 || now - resumeMillis < FIRST_ETA_MILLIS) {
            shownEta = -1;
            return -1;
        }
        if (shownEta < 0 || now - shownAtMillis >= HOLD_MILLIS) {
            shownEta = (long) Math.ceil(bytesLeft / rate);
            shownAtMillis = now;
        }
        return shownEta;
    }

    private void restart(long nowMillis, long movedBytes) {
        started = true;
        flowing = false;
        lastMillis = nowMillis;
        lastBytes = movedBytes;
        rate = 0;
        shownEta = -1;
    }
}
