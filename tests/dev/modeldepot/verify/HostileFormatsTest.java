package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.ModelFiles;
import dev.modeldepot.testing.Run;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile safetensors headers: BAD_FORMAT (exit 3), never an exception, never the others' verdicts lost, never OOM. */
class HostileFormatsTest {
    @TempDir
    Path dir;

    private Run verify(String... args) {
        VerifyCommand cmd = new VerifyCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of("HF_HUB_CACHE", dir.resolve("no-hf").toString());
        List<String> all = new ArrayList<>(List.of("--cache-dir", dir.resolve("store").toString()));
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    @Test
    void overflowingShapesAndMismatchedOffsetsAreBadFormatAndTheOtherFilesKeepTheirVerdicts() throws Exception {
        Path overflow = ModelFiles.safetensorsWithHeader(dir.resolve("overflow.safetensors"),
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0);
        Path product = ModelFiles.safetensorsWithHeader(dir.resolve("product.safetensors"),
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}", 16);
        Path mismatch = ModelFiles.safetensorsWithHeader(dir.resolve("mismatch.safetensors"),
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", 8);
        Path good = ModelFiles.safetensors(dir.resolve("good.safetensors"), 50_000);
        Run r = verify("--file", overflow.toString(), "--file", product.toString(), "--file", mismatch.toString(),
                "--file", good.toString(), "--json");
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertFalse((r.out() + r.err()).contains("Exception"), r.out() + r.err());
        JsonNode files = Json.MAPPER.readTree(r.out()).get("files");
        assertEquals(4, files.size(), r.out());
        for (int i = 0; i < 3; i++) {
            assertEquals("BAD_FORMAT", files.get(i).get("verdict").asText(), files.get(i).toString());
        }
        assertFalse("BAD_FORMAT".equals(files.get(3).get("verdict").asText()), "the good file keeps its own verdict: " + files.get(3));
    }

    /** A header just under the format's 100 MB limit, made of one huge metadata string. */
    private static Path hugeHeader(Path file, long headerBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] start = "{\"__metadata__\":{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
            byte[] end = "\"},\"t\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,15]}}".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes).flip();
            ch.write(len);
            ch.write(ByteBuffer.wrap(start));
            byte[] pad = new byte[1 << 20];
            java.util.Arrays.fill(pad, (byte) 'a');
            long left = headerBytes - start.length - end.length;
            while (left > 0) {
                int n = (int) Math.min(pad.length, left);
                ch.write(ByteBuffer.wrap(pad, 0, n));
                left -= n;
            }
            ch.write(ByteBuffer.wrap(end));
            ch.write(ByteBuffer.wrap(new byte[16]));
        }
        return file;
    }

    @Test
    void aNinetyNineMegabyteHeaderIsCheckedInASmallHeap() throws Exception {
        Path big = hugeHeader(dir.resolve("big.safetensors"), 99L << 20);
        Path tooBig = ModelFiles.safetensorsWithHeader(dir.resolve("too-big.safetensors"), "{}", 0);
        try (FileChannel ch = FileChannel.open(tooBig, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(101L << 20).flip(), 0);
            ch.write(ByteBuffer.wrap(new byte[1]), (101L << 20) + 8); // sparse: the file really holds the claimed header
        }
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "VerifyModelIntegrity", "--cache-dir", dir.resolve("store").toString(),
                "--file", big.toString(), "--file", tooBig.toString(), "--json")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        String said = Files.readString(out) + Files.readString(err);
        assertEquals(3, p.exitValue(), said);
        assertFalse(said.contains("OutOfMemoryError") || said.contains("Exception"), said);
        JsonNode files = Json.MAPPER.readTree(Files.readString(out)).get("files");
        assertEquals("BAD_FORMAT", files.get(0).get("verdict").asText(), "data_offsets end at 15 but F32[4] needs 16: " + files.get(0));
        assertTrue(files.get(0).toString().contains("16"), "the header was read to its end: " + files.get(0));
        assertEquals("BAD_FORMAT", files.get(1).get("verdict").asText(), files.get(1).toString());
        assertTrue(files.get(1).toString().contains("100 MB"), files.get(1).toString());
    }
}
