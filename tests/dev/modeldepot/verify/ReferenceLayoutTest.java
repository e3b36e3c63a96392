package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.testing.Run;
import dev.modeldepot.verify.ReferenceSamples.GgufTensor;
import dev.modeldepot.verify.ReferenceSamples.OnnxTensor;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture set in the reference writers' layouts: files gguf-py and onnx write and their
 * readers load are accepted (no false positive), and damage to them is caught.
 */
class ReferenceLayoutTest {
    static final List<GgufTensor> ODD_TENSORS = List.of(
            new GgufTensor("token_embd.weight", new long[] {64, 8}, 0),
            new GgufTensor("scale", new long[] {}, 0),
            new GgufTensor("empty.bias", new long[] {64, 0}, 0),
            new GgufTensor("output.weight", new long[] {32, 4}, 1));

    @TempDir
    Path dir;

    @Test
    void scalarAndEmptyTensorsAreValidGguf() throws Exception {
        Path file = dir.resolve("odd.gguf");
        ReferenceSamples.writeGguf(file, false, ODD_TENSORS);
        FormatCheck fc = FormatChecks.check(file, null);
        assertTrue(fc.ok(), fc.detail());
        assertTrue(fc.detail().startsWith("GGUF v3"), fc.detail());
        assertTrue(fc.detail().contains("4 tensors"), fc.detail());
    }

    @Test
    void bigEndianGgufIsAValidFormatSaidSoAndStillCheckedForDamage() throws Exception {
        Path file = dir.resolve("be.gguf");
        ReferenceSamples.writeGguf(file, true, ODD_TENSORS);
        FormatCheck fc = FormatChecks.check(file, null);
        assertTrue(fc.ok(), fc.detail());
        assertTrue(fc.detail().startsWith("big-endian GGUF v3"), fc.detail());
        assertFalse(fc.detail().contains("50331648"), fc.detail());

        truncate(file, Files.size(file) - 40);
        FormatCheck cut = FormatChecks.check(file, null);
        assertFalse(cut.ok(), "a cut big-endian file is caught: " + cut.detail());
        assertTrue(cut.detail().contains("truncated"), cut.detail());
    }

    @Test
    void onnxExternalDataWithinItsFileIsOk() throws Exception {
        Path model = dir.resolve("m").resolve("model.onnx");
        ReferenceSamples.writeOnnxWithExternalData(model, "model.onnx.data", twoTensors());
        FormatCheck fc = FormatChecks.check(model, null);
        assertTrue(fc.ok(), fc.detail());
        assertTrue(fc.detail().contains("2 tensors in external data model.onnx.data"), fc.detail());
    }

    @Test
    void truncatedOrMissingExternalDataIsCorruptAndTheCommandSaysSo() throws Exception {
        Path model = dir.resolve("m").resolve("model.onnx");
        Path data = ReferenceSamples.writeOnnxWithExternalData(model, "model.onnx.data", twoTensors());
        truncate(data, Files.size(data) - 100);
        FormatCheck fc = FormatChecks.check(model, null);
        assertFalse(fc.ok());
        assertTrue(fc.detail().contains("truncated: tensor b.weight"), fc.detail());

        Run run = Run.of(new VerifyCommand(), "--cache-dir", dir.resolve("store").toString(), "--file", model.toString());
        assertEquals(3, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("model.onnx.data"), run.out());

        truncate(data, 2000); // the second tensor's offset (4096) is now past the end
        assertTrue(FormatChecks.check(model, null).detail().contains("4096"), FormatChecks.check(model, null).detail());
        Files.delete(data);
        FormatCheck gone = FormatChecks.check(model, null);
        assertFalse(gone.ok());
        assertTrue(gone.detail().contains("external data file model.onnx.data of tensor a.weight is missing"), gone.detail());
    }

    @Test
    void externalDataMustStayInsideTheModelsFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m"));
        for (String location : List.of("../outside.data", dir.resolve("outside.data").toString())) {
            // The writer puts the data where the location points: outside, and complete.
            Path model = folder.resolve("model.onnx");
            ReferenceSamples.writeOnnxWithExternalData(model, location, twoTensors());
            FormatCheck fc = FormatChecks.check(model, null);
            assertFalse(fc.ok(), location);
            assertTrue(fc.detail().contains("outside the model's folder"), fc.detail());
        }
        Path linked = folder.resolve("linked.onnx");
        ReferenceSamples.writeOnnxWithExternalData(linked, "link.data", twoTensors());
        Files.delete(folder.resolve("link.data"));
        Files.write(dir.resolve("outside.data"), new byte[10_000]);
        Files.createSymbolicLink(folder.resolve("link.data"), dir.resolve("outside.data"));
        FormatCheck fc = FormatChecks.check(linked, null);
        assertFalse(fc.ok());
        assertTrue(fc.detail().contains("a link out of the model's folder"), fc.detail());
    }

    private static List<OnnxTensor> twoTensors() {
        return List.of(new OnnxTensor("a.weight", new long[] {16, 16}), new OnnxTensor("b.weight", new long[] {8, 32}));
    }

    private static void truncate(Path file, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
