package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The user's door: every catalog alias, run through the repo's ./jbang launcher exactly as the
 * README shows, answers --help and --version. (-o: offline, Maven has already cached the deps.)
 */
class JbangAliasesTest {
    static final Path REPO = Path.of(System.getProperty("modeldepot.repo", ".")).toAbsolutePath();

    record Result(int code, String output) {}

    static Result jbang(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("jbang").toString(), "-o"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "jbang " + String.join(" ", args) + " finished");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void everyAliasAnswersHelpAndVersion() throws Exception {
        JsonNode catalog = Json.MAPPER.readTree(Files.readString(REPO.resolve("jbang-catalog.json")));
        List<String> aliases = new ArrayList<>();
        catalog.get("aliases").fieldNames().forEachRemaining(aliases::add);
        assertEquals(List.of("download-model-with-progress", "verify-model-integrity", "check-models", "model-store", "model-dashboard"), aliases);
        for (String alias : aliases) {
            assertTrue(catalog.get("aliases").get(alias).hasNonNull("description"), alias + " has a description");
            Result help = jbang(alias + "@.", "--help");
            assertEquals(0, help.code(), alias + " --help: " + help.output());
            assertTrue(help.output().contains("Usage: " + alias), alias + " --help: " + help.output());
            Result version = jbang(alias + "@.", "--version");
            assertEquals(0, version.code(), alias + " --version: " + version.output());
            assertTrue(version.output().contains("Model Depot " + Version.NUMBER), version.output());
        }
    }
}
