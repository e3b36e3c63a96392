package dev.modeldepot.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry is untrusted input: refused text is shown escaped and redacted, control characters are refused. */
class HostileRegistryTest {
    @TempDir
    Path dir;

    static String file(String path, String url) {
        return "{\"path\":\"" + path + "\",\"url\":\"" + url + "\",\"size\":10}";
    }

    static String registry(String name, String fileJson) {
        return "{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"name\":\"" + name + "\",\"variants\":[{\"id\":\"q4\",\"files\":[" + fileJson + "]}]}]}";
    }

    private static DepotException refused(String json) {
        DepotException e = assertThrows(DepotException.class, () -> RegistryLoader.parse(json, "test.json"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
        return e;
    }

    private static void assertNoRawControl(String text) {
        for (char c : text.toCharArray()) {
            assertFalse(Character.isISOControl(c), () -> "raw control character " + (int) c + " in: " + text);
        }
    }

    @Test
    void anOversizedRegistryFileOrEndlessUrlIsRefusedWithExit2() throws Exception {
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[2_000_000]);
        Run file = Run.of(new ModelStoreCommand(), "registry", "validate", "--max-registry-size", "1M", big.toString());
        assertEquals(2, file.exitCode(), file.err());
        assertTrue(file.err().contains("larger than"), file.err());
        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/endless.json", "{\"schemaVersion\":1,".repeat(1000).getBytes(StandardCharsets.UTF_8)).endless(true);
            Run url = Run.of(new ModelStoreCommand(), "registry", "validate", "--max-registry-size", "2M",
                    origin.url("/endless.json").toString());
            assertEquals(2, url.exitCode(), url.err());
            assertTrue(url.err().contains("larger than 2.0 MB") || url.err().contains("larger than"), url.err());
            assertEquals(1, url.err().strip().lines().count(), url.err());
        }
    }

    @Test
    void aTricklingRegistryUrlStopsAtItsDeadline() throws Exception {
        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/slow.json", registry("M", file("w.gguf", "https://h/x")).getBytes(StandardCharsets.UTF_8)).trickle(1, 5000);
            long start = System.nanoTime();
            DepotException e = assertThrows(DepotException.class, () ->
                    RegistryLoader.load(origin.url("/slow.json").toString(), false, RegistryLoader.DEFAULT_MAX_BYTES, Duration.ofSeconds(2)));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("did not arrive within 2 s"), e.getMessage());
            assertTrue(took < 10_000, "stopped at the deadline, not after the whole trickle: " + took + " ms");
        }
    }

    @Test
    void controlCharactersInPathsAndNamesAreRefusedAndShownEscaped() {
        DepotException path = refused(registry("M", file("w\\u007f\\u009b.gguf", "https://h/x")));
        assertTrue(path.getMessage().contains("files/0/path") && path.getMessage().contains("\\x7f\\x9b"), path.getMessage());
        assertNoRawControl(path.getMessage());

        DepotException name = refused(registry("M\\u001b]0;pwned\\u0007", file("w.gguf", "https://h/x")));
        assertTrue(name.getMessage().contains("/name") && name.getMessage().contains("\\x1b]0;pwned\\x07"), name.getMessage());
        assertNoRawControl(name.getMessage());

        DepotException nul = refused(registry("M", file("w.gguf", "https://h/x")).replace("\"id\":\"m\"", "\"id\":\"m\\u0000\\u001b[2J\""));
        assertTrue(nul.getMessage().contains("\\x00\\x1b[2J"), nul.getMessage());
        assertNoRawControl(nul.getMessage());
    }

    @Test
    void descriptionsMayBreakLinesButNotHoldEscapes() {
        String ok = registry("M", file("w.gguf", "https://h/x")).replace("\"name\":\"M\"", "\"name\":\"M\",\"description\":\"line one\\nline two\"");
        assertEquals("m", RegistryLoader.parse(ok, "t").models().get(0).id());
        refused(ok.replace("line two", "line \\u001b[31mtwo"));
    }

    @Test
    void credentialsInRefusedUrlsAreRedacted() {
        DepotException e = refused(registry("M", file("w.gguf", "ftp://user:hunter2@files.example/w.gguf")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("must be an http(s) URL"), e.getMessage());
    }

    @Test
    void theCommandPrintsTheProblemEscapedOnOneLine() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.write(bad, registry("M\\u001b]0;pwned\\u0007", file("w.gguf", "ftp://bob:pass@h/x")).getBytes(StandardCharsets.UTF_8));
        Run run = Run.of(new ModelStoreCommand(), "registry", "validate", bad.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertNoRawControl(run.err().replace("\n", ""));
        assertFalse(run.err().contains("pass@"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
