package dev.modeldepot.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that need an outside program (nginx, tmux, curl): locally a missing program skips the
 * test with a loud message; in CI (env CI set) it fails, so nothing is skipped quietly there.
 */
public final class Requires {
    private Requires() {}

    /** Returns the absolute path of the program, or skips/fails as described above. */
    public static Path command(String name) {
        Path found = find(name);
        if (found == null) {
            String message = "*** " + name + " is not installed: this test needs it (apt-get install "
                    + (name.equals("nginx") ? "nginx-light" : name) + "). ***";
            skipLoudlyOrFailInCi(message, " CI must install it (see .ci/run).");
        }
        return found;
    }

    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    public static Path find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A missing prerequisite: a loud skip on a developer's machine, a failure in CI (no test passes quietly there). */
    public static void skipLoudlyOrFailInCi(String message, String ciHint) {
        if (inCi()) {
            Assertions.fail(message + ciHint);
        }
        System.err.println("SKIPPED " + message);
        Assumptions.abort(message);
    }
}
