package dev.modeldepot.tui;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "model-dashboard", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Full-screen dashboard: queue, progress, cache usage and verification state.")
public class DashboardCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw DepotException.failed("model-dashboard is not available in this build yet");
    }
}
