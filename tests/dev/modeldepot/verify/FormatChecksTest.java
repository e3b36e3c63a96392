package dev.modeldepot.verify;

import static dev.modeldepot.testing.ModelFiles.endOf;
import static dev.modeldepot.testing.ModelFiles.le32;
import static dev.modeldepot.testing.ModelFiles.le64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatChecksTest {
    @TempDir
    Path dir;

    private static void assertPassed(FormatCheck fc, String detailPart) {
        assertTrue(fc.checked() && fc.ok(), () -> "expected a passed check, got " + fc);
        assertTrue(fc.detail().contains(detailPart), () -> fc.detail());
    }

    private static void assertFailed(FormatCheck fc, String detailPart) {
        assertTrue(fc.checked(), () -> "expected a check to run: " + fc);
        assertFalse(fc.ok(), () -> "expected a failed check, got " + fc);
        assertTrue(fc.detail().contains(detailPart), () -> "'" + fc.detail() + "' lacks '" + detailPart + "'");
    }

    @Test
    void validGgufModelAndMmprojPass() throws Exception {
        assertPassed(FormatChecks.check(ModelFiles.gguf(dir.resolve("m.gguf"), 300_000), null), "GGUF v3 (llama), 8 metadata keys, 2 tensors");
        assertPassed(FormatChecks.check(ModelFiles.mmproj(dir.resolve("mmproj.gguf"), 100_000), null), "(clip)");
    }

    @Test
    void truncatedGgufFailsEvenWithoutChecksum() throws Exception {
        Path f = ModelFiles.gguf(dir.resolve("m.gguf"), 300_000);
        ModelFiles.truncate(f, Files.size(f) - 100);
        assertFailed(FormatChecks.check(f, null), "truncated: tensor output_norm.weight ends at byte");
        ModelFiles.truncate(f, 200);
        assertFailed(FormatChecks.check(f, null), "truncated");
    }

    @Test
    void ggufHeaderDamageIsNamed() throws Exception {
        Path f = ModelFiles.gguf(dir.resolve("m.gguf"), 100_000);
        Path g = dir.resolve("copy.gguf");
        Files.copy(f, g);
        ModelFiles.patch(g, 0, "GGUX".getBytes());
        assertFailed(FormatChecks.check(g, null), "GGUF magic");
        Files.copy(f, g, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelFiles.patch(g, 4, le32(9));
        assertFailed(FormatChecks.check(g, null), "unsupported GGUF version 9");
        ModelFiles.patch(g, 4, le32(2));
        assertPassed(FormatChecks.check(g, null), "GGUF v2 (llama)");
        Files.copy(f, g, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelFiles.patch(g, 8, le64(1L << 40));
        assertFailed(FormatChecks.check(g, null), "implausible tensor count");
    }

    @Test
    void ggufMetadataAndTensorInfoDamageIsNamed() throws Exception {
        Path f = ModelFiles.gguf(dir.resolve("m.gguf"), 100_000);
        Path g = dir.resolve("copy.gguf");
        Files.copy(f, g);
        ModelFiles.patch(g, endOf(g, "general.alignment") + 4, le32(3));
        assertFailed(FormatChecks.check(g, null), "general.alignment 3 is not a power of two");

        Files.copy(f, g, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelFiles.patch(g, endOf(g, "general.name"), le32(99));
        assertFailed(FormatChecks.check(g, null), "unknown metadata value type 99 for general.name");

        Files.copy(f, g, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelFiles.patch(g, endOf(g, "token_embd.weight"), le32(7));
        assertFailed(FormatChecks.check(g, null), "token_embd.weight has 7 dimensions");

        // token_embd.weight: name, n_dims (4), two dims (16), then its ggml type: Q8_K has 256-wide blocks.
        Files.copy(f, g, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelFiles.patch(g, endOf(g, "token_embd.weight") + 4 + 16, le32(15));
        assertFailed(FormatChecks.check(g, null), "token_embd.weight row of 64 is not a multiple of its type's block of 256");

        // output_norm.weight: name, n_dims (4), one dim (8), type (4), then its data offset.
        Files.copy(f, g, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long offsetField = endOf(g, "output_norm.weight") + 4 + 8 + 4;
        long offset = java.nio.ByteBuffer.wrap(Files.readAllBytes(g), (int) offsetField, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        ModelFiles.patch(g, offsetField, le64(offset + 4));
        assertFailed(FormatChecks.check(g, null), "output_norm.weight data offset " + (offset + 4) + " is not aligned to 32");
    }

    @Test
    void validSafetensorsPassesAndDamageIsNamed() throws Exception {
        Path f = ModelFiles.safetensors(dir.resolve("w.safetensors"), 200_000);
        assertPassed(FormatChecks.check(f, null), "safetensors, 2 tensors");
        byte[] original = Files.readAllBytes(f);

        ModelFiles.truncate(f, original.length - 1);
        assertFailed(FormatChecks.check(f, null), "truncated: the tensors need");

        Files.write(f, original);
        Files.write(f, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertFailed(FormatChecks.check(f, null), "1 more bytes");

        Files.write(f, original);
        ModelFiles.patch(f, 0, le64(1L << 40));
        assertFailed(FormatChecks.check(f, null), "does not fit in the file");

        Files.write(f, original);
        ModelFiles.patch(f, 8, "x".getBytes());
        assertFailed(FormatChecks.check(f, null), "JSON header does not parse");
    }

    @Test
    void safetensorsHeaderRulesAreEnforced() throws Exception {
        String meta = "\"__metadata__\":{\"format\":\"pt\"},";
        assertPassed(FormatChecks.check(ModelFiles.safetensorsWithHeader(dir.resolve("ok.safetensors"),
                "{" + meta + "\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,12]}}", 12), null),
                "2 tensors");
        assertFailed(FormatChecks.check(ModelFiles.safetensorsWithHeader(dir.resolve("gap.safetensors"),
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[6,10]}}", 10), null),
                "(gap)");
        assertFailed(FormatChecks.check(ModelFiles.safetensorsWithHeader(dir.resolve("shape.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4), null),
                "need 16");
        assertFailed(FormatChecks.check(ModelFiles.safetensorsWithHeader(dir.resolve("dtype.safetensors"),
                "{\"a\":{\"dtype\":\"Q9\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4), null),
                "unknown dtype Q9");
        assertFailed(FormatChecks.check(ModelFiles.safetensorsWithHeader(dir.resolve("meta.safetensors"),
                "{\"__metadata__\":{\"n\":1},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), null),
                "__metadata__ values must be strings");
    }

    @Test
    void mislabelledFilesFail() throws Exception {
        Path st = ModelFiles.safetensors(dir.resolve("w.safetensors"), 50_000);
        assertFailed(FormatChecks.check(st, "gguf"), "GGUF magic");
        Path gguf = ModelFiles.gguf(dir.resolve("m.gguf"), 50_000);
        assertFailed(FormatChecks.check(gguf, "safetensors"), "not a valid safetensors file");
        assertFailed(FormatChecks.check(gguf, "onnx"), "not a valid onnx file");
        assertFailed(FormatChecks.check(gguf, "pt"), "no end of central directory");
        assertFailed(FormatChecks.check(gguf, "json"), "JSON does not parse");
    }

    @Test
    void zipBasedPytorchCheckpoints() throws Exception {
        Path pt = ModelFiles.torchZip(dir.resolve("model.pt"), 10_000);
        assertPassed(FormatChecks.check(pt, null), "zip archive, 3 entries consistent with their local headers (PyTorch checkpoint)");
        Path bin = ModelFiles.torchZip(dir.resolve("pytorch_model.bin"), 10_000);
        assertPassed(FormatChecks.check(bin, null), "3 entries");
        byte[] original = Files.readAllBytes(pt);

        ModelFiles.truncate(pt, original.length - 30);
        assertFailed(FormatChecks.check(pt, null), "no end of central directory record");
        ModelFiles.truncate(pt, original.length / 2);
        assertFailed(FormatChecks.check(pt, null), "no end of central directory record");

        Files.write(pt, original);
        ModelFiles.patch(pt, 2, new byte[] {0, 0});
        assertFailed(FormatChecks.check(pt, null), "local header of entry archive/data.pkl is damaged");
    }

    @Test
    void zip64ArchivesAreFollowed() throws Exception {
        // java.util.zip switches to zip64 records past 65 535 entries.
        Path big = dir.resolve("many.pt");
        try (var zip = new java.util.zip.ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(big), 1 << 16))) {
            zip.setLevel(0);
            for (int i = 0; i < 70_000; i++) {
                zip.putNextEntry(new java.util.zip.ZipEntry("archive/data/" + i));
                zip.closeEntry();
            }
        }
        assertPassed(FormatChecks.check(big, null), "zip archive, 70000 entries");
        ModelFiles.patch(big, Files.size(big) - 22 - 20 - 56 + 32, le64(69_999));
        assertFailed(FormatChecks.check(big, null), "holds more than its 69999 declared entries");
    }

    @Test
    void rawBinIsNotCheckedButRawPtFails() throws Exception {
        Path bin = Files.write(dir.resolve("legacy.bin"), new byte[4096]);
        FormatCheck fc = FormatChecks.check(bin, null);
        assertFalse(fc.checked());
        assertTrue(fc.ok());
        assertTrue(fc.detail().contains("not a zip archive"), fc.detail());
        assertFailed(FormatChecks.check(bin, "pt"), "no end of central directory");
        assertFailed(FormatChecks.check(bin, "zip"), "no end of central directory");
    }

    @Test
    void onnxFramingIsWalked() throws Exception {
        Path onnx = ModelFiles.onnx(dir.resolve("m.onnx"));
        assertPassed(FormatChecks.check(onnx, null), "ONNX ModelProto, ir_version 8");
        byte[] original = Files.readAllBytes(onnx);

        ModelFiles.truncate(onnx, original.length - 3);
        assertFailed(FormatChecks.check(onnx, null), "truncated");

        // Only an empty graph field: no ir_version.
        Files.write(onnx, new byte[] {0x3a, 0});
        assertFailed(FormatChecks.check(onnx, null), "no ir_version");
        Files.write(onnx, new byte[] {0x08, 0x08});
        assertFailed(FormatChecks.check(onnx, null), "no graph field");
        Files.write(onnx, new byte[] {0x38, 0x01});
        assertFailed(FormatChecks.check(onnx, null), "field 7 has the wrong wire type 0");
        Files.write(onnx, new byte[] {0x13});
        assertFailed(FormatChecks.check(onnx, null), "unsupported protobuf wire type 3");
        Files.write(onnx, "not a model at all".getBytes());
        assertFailed(FormatChecks.check(onnx, null), "not a valid onnx file");
    }

    @Test
    void jsonConfigsAndTokenizers() throws Exception {
        assertPassed(FormatChecks.check(ModelFiles.json(dir.resolve("config.json"), "{\"a\": [1, {\"b\": null}]}\n"), null), "JSON object parses");
        assertFailed(FormatChecks.check(ModelFiles.json(dir.resolve("cut.json"), "{\"a\": [1,"), null), "JSON does not parse");
        assertFailed(FormatChecks.check(ModelFiles.json(dir.resolve("two.json"), "{} {}"), null), "more after the JSON value");
        assertFailed(FormatChecks.check(ModelFiles.json(dir.resolve("empty.json"), ""), null), "no JSON value");
    }

    @Test
    void unknownFormatsAreHashOnlyAndSaySo() throws Exception {
        Path f = Files.write(dir.resolve("weights.xyz"), new byte[10]);
        FormatCheck fc = FormatChecks.check(f, null);
        assertEquals("xyz", fc.format());
        assertFalse(fc.checked());
        assertTrue(fc.ok());
        assertTrue(fc.detail().startsWith("structure not checked"), fc.detail());
        assertEquals("unknown", FormatChecks.check(Files.write(dir.resolve("README"), new byte[1]), null).format());
    }
}
