package dev.modeldepot.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts, rates and durations as people write and read them. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(i?b?)\\s*(?:/s)?\\s*");
    private static final Pattern DURATION = Pattern.compile("(?i)\\s*([0-9]+)\\s*(s|m|h|d|w)\\s*");

    private Sizes() {}

    /** "1.5 GB" style, decimal units as disk vendors and download sizes use them. */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }

    public static String rate(double bytesPerSecond) {
        return human((long) bytesPerSecond) + "/s";
    }

    /** "12s", "3m05s", "1h02m". */
    public static String eta(long seconds) {
        if (seconds < 0) {
            return "--";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /**
     * Parses "500", "10M", "1.5GB", "2GiB", "25m/s": K/M/G/T are decimal, with "i" binary.
     * Bad text is bad input (exit 2).
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw DepotException.badInput("'" + text + "' is not a size (examples: 500M, 1.5G, 2GiB)");
        }
        double number = Double.parseDouble(m.group(1));
        boolean binary = m.group(3).toLowerCase(Locale.ROOT).startsWith("i");
        int power = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        return (long) (number * Math.pow(binary ? 1024 : 1000, power));
    }

    /** Parses "30s", "15m", "12h", "7d", "2w". */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw DepotException.badInput("'" + text + "' is not a duration (examples: 30s, 15m, 12h, 7d, 2w)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
