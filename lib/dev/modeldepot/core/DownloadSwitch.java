package dev.modeldepot.core;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DISABLE_MODEL_DOWNLOADS, read the same way by the engine, the service and every command: set to
 * anything but an "off" word (empty, 0, false, no, off) it disables downloads. A value nobody
 * recognises counts as "on": whoever set it meant to stop downloads.
 */
public final class DownloadSwitch {
    public static final String VARIABLE = "DISABLE_MODEL_DOWNLOADS";
    private static final Set<String> OFF = Set.of("", "0", "false", "no", "off");

    private DownloadSwitch() {}

    public static boolean disabled(Map<String, String> env) {
        String v = env.get(VARIABLE);
        return v != null && !OFF.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /** "DISABLE_MODEL_DOWNLOADS=on", for messages; null when downloads are allowed. */
    public static String setting(Map<String, String> env) {
        return disabled(env) ? VARIABLE + "=" + Redact.text(env.get(VARIABLE).trim()) : null;
    }
}
