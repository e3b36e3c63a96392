package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code --app NAME} (env MODELDEPOT_APP): who is asking; recorded as a user of what it downloads or pins. */
public class AppOption {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Option(names = "--app", paramLabel = "NAME", description = "The calling app (default: $MODELDEPOT_APP); recorded as a user of what it downloads or pins.")
    String app;

    /** The app name, or null when none was given. */
    public String resolve(CommonOptions common) {
        String name = app != null ? app : common.env.get("MODELDEPOT_APP");
        if (name == null || name.isBlank()) {
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            throw DepotException.badInput("'" + name + "' is not an app name (letters, digits, '.', '_', '-'; up to 64)");
        }
        return name;
    }

    public String require(CommonOptions common) {
        String name = resolve(common);
        if (name == null) {
            throw DepotException.badInput("name the app with --app NAME (or set MODELDEPOT_APP)");
        }
        return name;
    }
}
