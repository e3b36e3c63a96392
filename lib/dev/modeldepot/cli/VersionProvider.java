package dev.modeldepot.cli;

import dev.modeldepot.core.Version;
import picocli.CommandLine;

/** What every command's --version prints. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Model Depot " + Version.NUMBER + " (Java " + Runtime.version() + ")"};
    }
}
