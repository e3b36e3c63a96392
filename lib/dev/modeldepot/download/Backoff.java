package dev.modeldepot.download;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, capped, and the server's Retry-After when it gives one. */
final class Backoff {
    static final long BASE_MILLIS = 500;
    static final long CAP_MILLIS = 30_000;
    /** A Retry-After longer than this is not waited for: the attempt counts as failed sooner. */
    static final long MAX_RETRY_AFTER_MILLIS = 120_000;

    private Backoff() {}

    /** Delay before attempt {@code attempt} (1-based): half fixed, half random, so clients spread out. */
    static long delayMillis(int attempt, long retryAfterMillis) {
        if (retryAfterMillis >= 0) {
            return Math.min(retryAfterMillis, MAX_RETRY_AFTER_MILLIS);
        }
        long exp = Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(20, Math.max(0, attempt - 1)));
        return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    }

    /** Retry-After as seconds or an HTTP date; -1 when absent or unreadable. */
    static long parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        try {
            return Math.max(0, Long.parseLong(v) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(clock.instant(), at.toInstant()).toMillis());
            } catch (RuntimeException notDate) {
                return -1;
            }
        }
    }

    /** What an HTTP status means for a download. */
    static FetchException.Kind classify(int status) {
        if (status == 408 || status == 429 || status >= 500) {
            return FetchException.Kind.RETRY;
        }
        return FetchException.Kind.PERMANENT;
    }
}
