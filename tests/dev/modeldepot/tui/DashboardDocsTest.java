package dev.modeldepot.tui;

import static dev.modeldepot.tui.Binding.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's keys table is the binding table, and its screen captures are what the view draws
 * now: editing one without the other fails here. {@code -Dmodeldepot.updateReadme=true} rewrites
 * the README's table and captures from the code instead of checking them.
 */
class DashboardDocsTest {
    static final Path REPO = Path.of(System.getProperty("modeldepot.repo", "."));
    static final Pattern CAPTURE = Pattern.compile("<!-- capture: ([a-z0-9-]+) -->\n```\n(.*?)```", Pattern.DOTALL);
    static final Pattern TABLE = Pattern.compile("(KEYS-TABLE\n|\\| Key \\| Action \\| What it does \\|\n(\\|.*\n)*)");

    /** The captures the README shows, drawn by the real view on a virtual terminal. */
    static Map<String, String> captures() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("two-running-80x24", new Harness(80, 24, DashboardFitTest.twoRunning(1)).text());
        Harness broken = new Harness(80, 24, new FakeBackend(Fixtures.data(10_000_000_000L))).press(key('j'), key('j'));
        c.put("corrupt-80x24", broken.text());
        c.put("repair-dialog-80x24", broken.press(key(KeyType.Enter)).text());
        c.put("too-small", new Harness(60, 16, new FakeBackend(Fixtures.data(0))).text());
        return c;
    }

    @Test
    void keysTableAndCapturesInTheReadmeAreGeneratedFromTheCode() throws IOException {
        Path readme = REPO.resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Map<String, String> captures = captures();
        boolean update = Boolean.getBoolean("modeldepot.updateReadme");
        StringBuilder out = new StringBuilder();
        Matcher m = CAPTURE.matcher(text);
        int last = 0;
        int seen = 0;
        while (m.find()) {
            String expected = captures.get(m.group(1));
            assertTrue(expected != null, "unknown capture " + m.group(1));
            String body = expected.lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("") + "\n";
            if (!update) {
                assertEquals(body, m.group(2), "README capture '" + m.group(1) + "' is stale; run the test with -Dmodeldepot.updateReadme=true");
            }
            out.append(text, last, m.start()).append("<!-- capture: ").append(m.group(1)).append(" -->\n```\n").append(body).append("```");
            last = m.end();
            seen++;
        }
        out.append(text.substring(last));
        assertEquals(captures.size(), seen, "every capture appears in the README");
        String withTable = TABLE.matcher(out.toString()).replaceFirst(Matcher.quoteReplacement(Bindings.markdownTable()));
        if (update) {
            Files.writeString(readme, withTable, StandardCharsets.UTF_8);
        } else {
            assertTrue(text.contains(Bindings.markdownTable()), "README.md must contain exactly:\n" + Bindings.markdownTable());
        }
    }
}
