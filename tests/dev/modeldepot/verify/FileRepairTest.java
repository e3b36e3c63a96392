package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.ModelFiles;
import dev.modeldepot.testing.Run;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** --repair of an ad-hoc --file: fetched through the engine beside it, swapped in only once verified. */
@ExtendWith(StartedOrigins.class)
class FileRepairTest {
    @TempDir
    Path dir;
    FaultOrigin origin;
    Path file;
    byte[] good;
    String sha;

    @BeforeEach
    void setUp() throws Exception {
        file = ModelFiles.gguf(dir.resolve("models/m.gguf"), 200_000);
        good = Files.readAllBytes(file);
        sha = ModelFiles.sha256(file);
        origin.serve("/m.gguf", good);
        origin.serve("/other.gguf", FaultOrigin.randomBytes(good.length, 7));
        ModelFiles.flipBit(file, 150_000);
    }

    private Run verify(String... args) {
        return Run.of(new VerifyCommand(), Stream.concat(Stream.of("--cache-dir", dir.resolve("store").toString()), Stream.of(args)).toArray(String[]::new));
    }

    private List<String> folder() throws Exception {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void repairFetchesVerifiesAndReplacesTheFile() throws Exception {
        Run r = verify("--file", file.toString(), "--sha256", sha, "--repair", "--url", origin.url("/m.gguf").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("repaired: fetched again and verified"), r.out());
        assertArrayEquals(good, Files.readAllBytes(file));
        assertEquals(1, origin.requests("/m.gguf") > 0 ? 1 : 0);
        assertEquals(List.of("m.gguf"), folder(), "no temporary file is left beside it");
    }

    @Test
    void aWrongDownloadNeverReplacesTheFile() throws Exception {
        byte[] before = Files.readAllBytes(file);
        Run r = verify("--file", file.toString(), "--sha256", sha, "--repair", "--url", origin.url("/other.gguf").toString());
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("repair failed"), r.out());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("m.gguf"), folder());
    }

    @Test
    void repairWithoutUrlIsBadInputInOneSentence() {
        Run r = verify("--file", file.toString(), "--sha256", sha, "--repair");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--repair of a --file needs --url URL"), r.err());
        assertFalse(r.err().contains("Exception"));
    }
}
