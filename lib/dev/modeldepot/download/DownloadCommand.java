package dev.modeldepot.download;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "download-model-with-progress", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Resumable, multi-connection model downloads, SHA-256 verified before they become visible.")
public class DownloadCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        throw DepotException.failed("download-model-with-progress is not available in this build yet");
    }
}
