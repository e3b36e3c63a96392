package dev.modeldepot.verify;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "verify-model-integrity", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Checksums and structural checks of model files; corruption handling.")
public class VerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw DepotException.failed("verify-model-integrity is not available in this build yet");
    }
}
