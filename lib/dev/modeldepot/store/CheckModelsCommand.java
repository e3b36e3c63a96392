package dev.modeldepot.store;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check-models", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The startup check: which models are ready, missing, partial or corrupt, and how much is left to download.")
public class CheckModelsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw DepotException.failed("check-models is not available in this build yet");
    }
}
