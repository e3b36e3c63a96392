package dev.modeldepot.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the shared store lives: a pure function of (OS, environment, home) so it can be tested for
 * every OS on any OS.
 *
 * <ul>
 *   <li>Linux and other Unixes: {@code $XDG_CACHE_HOME/modeldepot/models}, else {@code ~/.cache/modeldepot/models}.
 *   <li>macOS: {@code ~/Library/Application Support/modeldepot/models}; not {@code Caches}, which the
 *       system purges under storage pressure, and a 20 GB download is worth more than the space.
 *   <li>Windows: {@code %LOCALAPPDATA%\modeldepot\models}; not {@code %APPDATA%}, which roams and
 *       would sync tens of gigabytes between machines.
 * </ul>
 * {@code MODELDEPOT_CACHE} overrides all of them.
 */
public final class StoreLocation {
    public enum Os { LINUX, MAC, WINDOWS }

    private StoreLocation() {}

    public static Path forCurrentPlatform(Map<String, String> env) {
        return resolve(currentOs(), env, System.getProperty("user.home"));
    }

    public static Os currentOs() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return Os.WINDOWS;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return Os.MAC;
        }
        return Os.LINUX;
    }

    /** Returns the store path as a string joined with the OS's separator, so it is testable anywhere. */
    public static String resolveText(Os os, Map<String, String> env, String home) {
        String override = env.get("MODELDEPOT_CACHE");
        if (notBlank(override)) {
            return override;
        }
        return switch (os) {
            case LINUX -> {
                String xdg = env.get("XDG_CACHE_HOME");
                // The XDG spec says relative values are invalid and must be ignored.
                String base = notBlank(xdg) && xdg.startsWith("/") ? xdg : home + "/.cache";
                yield base + "/modeldepot/models";
            }
            case MAC -> home + "/Library/Application Support/modeldepot/models";
            case WINDOWS -> {
                String local = env.get("LOCALAPPDATA");
                String base = notBlank(local) ? local : home + "\\AppData\\Local";
                yield base + "\\modeldepot\\models";
            }
        };
    }

    public static Path resolve(Os os, Map<String, String> env, String home) {
        return Path.of(resolveText(os, env, home)).toAbsolutePath().normalize();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
