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
}
