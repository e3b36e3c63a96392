package dev.modeldepot.cli;

import picocli.CommandLine.Parameters;

/** The {@code MODEL[:VARIANT]} argument of the commands that act on one stored variant (a picocli mixin). */
public class ModelRefArg {
    @Parameters(paramLabel = "MODEL[:VARIANT]", description = "A model (its default variant) or model:variant, as the registry names them.")
    String ref;

    public String value() {
        return ref;
    }
}
