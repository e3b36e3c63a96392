package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a download's bearer token comes from: --token (visible to every user in ps), --token-file
 * or $MODELDEPOT_TOKEN (not visible). At most one of the options; the variable is the fallback.
 */
final class CredentialOptions {
    static final String VARIABLE = "MODELDEPOT_TOKEN";

    private CredentialOptions() {}

    static String token(String option, Path file, Map<String, String> env) {
        if (option != null && file != null) {
            throw DepotException.badInput("give --token or --token-file, not both");
        }
        if (option != null) {
            return blankToNull(option);
        }
        if (file != null) {
            try {
                String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                String t = blankToNull(first);
                if (t == null) {
                    throw DepotException.badInput("--token-file " + file + " is empty");
                }
                return t;
            } catch (IOException e) {
                throw DepotException.badInput("cannot read --token-file " + file + ": " + Cli.messageOf(e));
            }
        }
        return blankToNull(env.get(VARIABLE));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
