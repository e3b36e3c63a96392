package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One list of --format values: the code's, shown by --help and by the README, and enforced. */
class FormatListTest {
    static final String LIST = String.join(", ", FormatChecks.FORMATS);

    @TempDir
    Path dir;

    @Test
    void helpListsEveryFormatTheCodeChecks() {
        Run help = Run.of(new VerifyCommand(), "--help");
        String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("Structure to check --file against: " + LIST + " (default: by extension)"), help.out());
    }

    @Test
    void readmeListsTheSameFormats() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("`--format` to pick the structural check \\(([^)]*)\\)").matcher(readme);
        assertTrue(m.find(), "the README's --file row names the formats");
        assertEquals(LIST, m.group(1));
    }

    @Test
    void anUnknownFormatIsBadInputNamingTheList() throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "x");
        Run run = Run.of(new VerifyCommand(), "--cache-dir", dir.resolve("store").toString(), "--file", f.toString(), "--format", "pickle");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--format must be one of " + LIST), run.err());
    }
}
