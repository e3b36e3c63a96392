package dev.modeldepot.core;

/** One version for the whole suite; also used in the HTTP User-Agent. */
public final class Version {
    public static final String NUMBER = "0.1.0";
    public static final String USER_AGENT = "model-depot/" + NUMBER + " (java " + Runtime.version().feature() + ")";

    private Version() {}
}
