package dev.modeldepot.cli;

import dev.modeldepot.core.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "model-store", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The shared, device-level model store: one download serves every app.",
        subcommands = {RegistryCommand.class, ListCommand.class, PathCommand.class, ImportCommand.class,
                PinCommand.Pin.class, PinCommand.Unpin.class, DeleteCommand.class, PruneCommand.class, DuCommand.class,
                ExportCommand.class, ImportBundleCommand.class,
                QuarantineCommand.class,
                dev.modeldepot.cli.ServeCommand.class, PushCommand.class, InstallCommandsCommand.class})
public class ModelStoreCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    public CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Alone, model-store lists what it can do (on stderr: it is still a usage error, exit 2). */
    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        err.println("model-store: name a subcommand (model-store SUBCOMMAND --help for its options):");
        err.print(spec.commandLine().getHelp().commandList());
        err.flush();
        return dev.modeldepot.core.ExitCode.BAD_INPUT.code;
    }
}
