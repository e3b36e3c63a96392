package dev.modeldepot.download;

import java.io.IOException;

/** Why one request or one transfer attempt did not deliver, and what to do about it. */
final class FetchException extends IOException {
    enum Kind {
        /** Try again after a backoff (timeouts, resets, 408, 429, 5xx, stalls, truncation). */
        RETRY,
        /** Do not retry this URL (404, 410, 401, 403, other 4xx); mirrors may still be tried. */
        PERMANENT,
        /** The remote file changed (validator, size, 416 on a stale partial): start over cleanly. */
        CHANGED,
        /** A ranged request got the whole body: continue as one stream from 0. */
        NO_RANGES,
        /** The remote size contradicts the expected size: an integrity failure. */
        MISMATCH
    }

    final Kind kind;
    final int status;
    final long retryAfterMillis;

    FetchException(Kind kind, String message) {
        this(kind, message, 0, -1);
    }

    FetchException(Kind kind, String message, int status, long retryAfterMillis) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // control flow, not a bug: no trace needed
    }
}
