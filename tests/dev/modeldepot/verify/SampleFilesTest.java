package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's and tests' sample files: valid, about the size asked for, deterministic. */
class SampleFilesTest {
    @TempDir
    Path dir;

    @Test
    void ggufAndMmprojAreValidAndAboutTheRequestedSize() throws Exception {
        for (long size : new long[] {10_000, 1_000_000, 3_300_000}) {
            Path model = dir.resolve("m" + size + ".gguf");
            long dataStart = SampleFiles.writeGguf(model, size, false);
            assertTrue(Math.abs(Files.size(model) - size) < 4096, model + " is " + Files.size(model));
            assertEquals(0, dataStart % 32);
            assertTrue(FormatChecks.check(model, null).detail().contains("(llama)"));
            Path mmproj = dir.resolve("mmproj" + size + ".gguf");
            SampleFiles.writeGguf(mmproj, size, true);
            assertTrue(FormatChecks.check(mmproj, null).detail().contains("(clip)"));
        }
    }

    @Test
    void safetensorsIsValidAndAboutTheRequestedSize() throws Exception {
        Path f = dir.resolve("w.safetensors");
        SampleFiles.writeSafetensors(f, 2_500_000);
        assertTrue(Math.abs(Files.size(f) - 2_500_000) < 4096);
        assertTrue(FormatChecks.check(f, null).ok());
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        SampleFiles.writeGguf(a, 2_000_000, false, 1);
        SampleFiles.writeGguf(b, 2_000_000, false, 1);
        SampleFiles.writeGguf(c, 2_000_000, false, 2);
        assertEquals(ModelFiles.sha256(a), ModelFiles.sha256(b));
        assertNotEquals(ModelFiles.sha256(a), ModelFiles.sha256(c));
    }

    @Test
    void bytesAreTheSameInEveryJvmRun() throws Exception {
        // Golden values: a map with per-run iteration order in a header once made these differ
        // between processes; demos and tests of other packages may rely on them being stable.
        Path gguf = dir.resolve("g.gguf");
        Path mmproj = dir.resolve("p.gguf");
        Path st = dir.resolve("s.safetensors");
        SampleFiles.writeGguf(gguf, 100_000, false, 1);
        SampleFiles.writeGguf(mmproj, 100_000, true, 1);
        SampleFiles.writeSafetensors(st, 100_000, 1);
        assertEquals("1e71528cfb1763c51dd3312f4a7fe76e187ec09c30fb1b833b129ef83cd149a0", ModelFiles.sha256(gguf));
        assertEquals("ae781bcf33200ea59a7a202f9278bcd338a271a74d14bf43433dff46716c2513", ModelFiles.sha256(mmproj));
        assertEquals("2520c90707688bb72673c9edcd926e64c921bd9243f6fe0766de26201f8de595", ModelFiles.sha256(st));
    }
}
