package dev.modeldepot.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How instants are shown to people: to the minute, in UTC. */
public final class Times {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Times() {}

    /** "-" for null. */
    public static String when(Instant instant) {
        return instant == null ? "-" : WHEN.format(instant);
    }
}
