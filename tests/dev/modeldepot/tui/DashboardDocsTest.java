package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented keys are the binding table: editing one without the other fails here. */
class DashboardDocsTest {
    static final Path REPO = Path.of(System.getProperty("modeldepot.repo", "."));

    @Test
    void keysTableInTheDocsIsGeneratedFromTheBindingTable() throws IOException {
        String table = Bindings.markdownTable();
        int checked = 0;
        for (Path doc : List.of(REPO.resolve("README.md"))) {
            if (Files.isRegularFile(doc) && Files.readString(doc).contains("model-dashboard")
                    && Files.readString(doc).contains("| Key | Action |")) {
                assertTrue(Files.readString(doc).contains(table), doc + " must contain exactly:\n" + table);
                checked++;
            }
        }
        assertTrue(checked > 0, "no document carries the dashboard's keys table");
    }
}
