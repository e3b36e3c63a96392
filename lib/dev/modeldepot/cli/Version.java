package dev.modeldepot.cli;

import picocli.CommandLine;

/** One version for the whole suite; also used in the HTTP User-Agent. */
public final class Version implements CommandLine.IVersionProvider {
    public static final String NUMBER = "0.1.0";
    public static final String USER_AGENT = "model-depot/" + NUMBER + " (java " + Runtime.version().feature() + ")";

    @Override
    public String[] getVersion() {
        return new String[] {"Model Depot " + NUMBER + " (Java " + Runtime.version() + ")"};
    }
}
