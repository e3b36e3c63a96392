package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import picocli.CommandLine.Option;

/** {@code --app NAME} (env MODELDEPOT_APP): who is asking; recorded as a user of what it downloads or pins. */
public class AppOption {
    @Option(names = "--app", paramLabel = "NAME", description = "The calling app (default: $MODELDEPOT_APP); recorded as a user of what it downloads or pins.")
    String app;

    /** The app name, or null when none was given. */
    public String resolve(CommonOptions common) {
        String name = app != null ? app : common.env.get("MODELDEPOT_APP");
        if (name == null || name.isBlank()) {
            return null;
        }
        return dev.modeldepot.api.ModelDepotBuilder.checkAppName(name);
    }

    public String require(CommonOptions common) {
        String name = resolve(common);
        if (name == null) {
            throw DepotException.badInput("name the app with --app NAME (or set MODELDEPOT_APP)");
        }
        return name;
    }
}
