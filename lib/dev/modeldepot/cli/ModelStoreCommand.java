package dev.modeldepot.cli;

import dev.modeldepot.core.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "model-store", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The shared, device-level model store: one download serves every app.",
        subcommands = {RegistryCommand.class, ListCommand.class, PathCommand.class, ImportCommand.class,
                PinCommand.Pin.class, PinCommand.Unpin.class, DeleteCommand.class, PruneCommand.class, DuCommand.class,
                ExportCommand.class, ImportBundleCommand.class,
                dev.modeldepot.cli.ServeCommand.class})
public class ModelStoreCommand implements Runnable {
    @Mixin
    public CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
