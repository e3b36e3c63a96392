package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Redact;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConventionsTest {
    @Test
    void sharedOptionsWorkBeforeAndAfterTheSubcommand(@TempDir Path dir) throws Exception {
        Path reg = dir.resolve("r.json");
        Files.writeString(reg, "{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"name\":\"M\",\"variants\":[{\"id\":\"v\",\"files\":["
                + "{\"path\":\"a.gguf\",\"url\":\"https://h/a\",\"size\":1}]}]}]}");
        Run before = Run.of(new ModelStoreCommand(), "--json", "--registry", reg.toString(), "registry", "validate");
        Run after = Run.of(new ModelStoreCommand(), "registry", "validate", "--registry", reg.toString(), "--json");
        assertEquals(0, before.exitCode(), before.err());
        assertEquals(0, after.exitCode(), after.err());
        assertTrue(before.out().contains("\"valid\" : true"), before.out());
        assertEquals(before.out(), after.out());
    }

    @Test
    void usageErrorsExit2WithAHint() {
        Run run = Run.of(new ModelStoreCommand(), "registry", "validate", "--no-such-flag");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--help"), run.err());
    }

    @Test
    void unexpectedErrorsAreOneSentenceAndTracesOnlyWithVerbose() {
        Object failing = new Failing();
        Run quiet = Run.of(failing);
        assertEquals(1, quiet.exitCode());
        assertFalse(quiet.err().contains("\tat "), quiet.err());
        assertFalse(quiet.err().contains("sig=abc"), "secrets in messages are redacted: " + quiet.err());
        Run verbose = Run.of(failing, "--verbose");
        assertTrue(verbose.err().contains("\tat "), verbose.err());
    }

    @Test
    void redactionRemovesQueryStringsUserInfoAndTokens() {
        String text = Redact.text("GET https://user:pw@cdn.example/x.gguf?X-Amz-Signature=abc&e=1 failed, Bearer hf_abcdefghijkl");
        assertFalse(text.contains("abc&e") || text.contains("pw@") || text.contains("hf_abcdefghijkl"), text);
        assertTrue(text.contains("https://REDACTED@cdn.example/x.gguf?REDACTED"), text);
    }

    @picocli.CommandLine.Command(name = "failing")
    static class Failing implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            throw new IllegalStateException("boom at https://cdn/x?sig=abc");
        }
    }
}
