package dev.modeldepot.verify;

import dev.modeldepot.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes real, structurally valid model files of about a requested size: a GGUF (a language model
 * or a CLIP mmproj projector), a safetensors file and an ONNX model. The one sample-file writer:
 * the tests, the benchmark and the demo origin (which serves {@link #ggufHeader}/{@link
 * #safetensorsHeader} from memory) use it; the bytes are deterministic for a given seed.
 */
public final class SampleFiles {
    /** Row width of the big tensor: 64 floats. */
    private static final int ROW = 64;

    private SampleFiles() {}

    /** As {@link #writeGguf(Path, long, boolean, long)}, seeded by the file name. */
    public static long writeGguf(Path file, long approxBytes, boolean mmproj) throws IOException {
        return writeGguf(file, approxBytes, mmproj, file.getFileName().toString().hashCode());
    }

    /** As {@link #writeSafetensors(Path, long, long)}, seeded by the file name. */
    public static void writeSafetensors(Path file, long approxBytes) throws IOException {
        writeSafetensors(file, approxBytes, file.getFileName().toString().hashCode());
    }

    /**
     * Writes a GGUF v3 file of about {@code approxBytes} (see {@link #ggufHeader}) with seeded data.
     *
     * @return the offset where the tensor data starts
     */
    public static long writeGguf(Path file, long approxBytes, boolean mmproj, long seed) throws IOException {
        Header h = ggufHeader(mmproj ? "sample mmproj" : "sample model", approxBytes, mmproj);
        writeWithData(file, ByteBuffer.wrap(h.bytes()), h.size() - h.bytes().length, seed);
        return h.bytes().length;
    }

    /** Writes a safetensors file of about {@code approxBytes} (see {@link #safetensorsHeader}) with seeded data. */
    public static void writeSafetensors(Path file, long approxBytes, long seed) throws IOException {
        Header h = safetensorsHeader("model.embed_tokens.weight", approxBytes);
        writeWithData(file, ByteBuffer.wrap(h.bytes()), h.size() - h.bytes().length, seed);
    }

    /**
     * A file's header and the exact size of the file it starts: the tensor data (any bytes) fills
     * the rest. The demo origin serves such files from memory; the writers here put them on disk.
     */
    public record Header(byte[] bytes, long size) {}

    /**
     * A GGUF v3 header for a file of about {@code approxBytes}: metadata of several types (string,
     * uint32, float32, bool, string array, int32 array), a big F32 tensor and a small one whose data
     * ends at the end of the file, data aligned to 32. {@code mmproj}: a CLIP projector, else a llama.
     */
    public static Header ggufHeader(String name, long approxBytes, boolean mmproj) {
        String arch = mmproj ? "clip" : "llama";
        String big = mmproj ? "v.patch_embd.weight" : "token_embd.weight";
        String small = mmproj ? "mm.0.bias" : "output_norm.weight";
        ByteBuffer h = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x46554747).putInt(3).putLong(2).putLong(8);
        kvString(h, "general.architecture", arch);
        kvString(h, "general.name", name);
        key(h, "general.alignment").putInt(4).putInt(32);
        key(h, arch + ".context_length").putInt(4).putInt(4096);
        key(h, "general.file_type").putInt(4).putInt(0);
        key(h, mmproj ? "clip.vision.image_mean" : arch + ".rope.freq_base").putInt(6).putFloat(10000f);
        key(h, mmproj ? "clip.has_vision_encoder" : "general.quantized").putInt(7).put((byte) (mmproj ? 1 : 0));
        key(h, "tokenizer.ggml.tokens").putInt(9).putInt(8).putLong(4);
        for (String token : List.of("<unk>", "<s>", "</s>", "hello")) {
            string(h, token);
        }
        long headerGuess = 2048;
        long rows = Math.max(1, (approxBytes - headerGuess - ROW * 4L) / (ROW * 4L));
        string(h, big).putInt(2).putLong(ROW).putLong(rows).putInt(0).putLong(0);
        long bigBytes = rows * ROW * 4L;
        long smallOffset = GgufCheck.align(bigBytes, 32);
        string(h, small).putInt(1).putLong(ROW).putInt(0).putLong(smallOffset);
        long dataStart = GgufCheck.align(h.position(), 32);
        while (h.position() < dataStart) {
            h.put((byte) 0);
        }
        return new Header(java.util.Arrays.copyOf(h.array(), h.position()), dataStart + smallOffset + ROW * 4L);
    }

    /**
     * A safetensors header for a file of about {@code approxBytes}: metadata, two F32 tensors (the
     * big one named {@code bigTensor}), the JSON padded with spaces to 8 bytes, data contiguous to the end.
     */
    public static Header safetensorsHeader(String bigTensor, long approxBytes) {
        long rows = Math.max(1, (approxBytes - 256 - ROW * 4L) / (ROW * 4L));
        long bigBytes = rows * ROW * 4L;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        header.put(bigTensor, tensor(List.of(rows, (long) ROW), 0, bigBytes));
        header.put("model.norm.weight", tensor(List.of((long) ROW), bigBytes, bigBytes + ROW * 4L));
        byte[] json = Json.line(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer h = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(padded).put(json);
        while (h.hasRemaining()) {
            h.put((byte) ' ');
        }
        return new Header(h.array(), 8 + padded + bigBytes + ROW * 4L);
    }

    /** Ordered, so the header's bytes (and the file's SHA-256) are the same in every JVM run. */
    private static Map<String, Object> tensor(List<Long> shape, long begin, long end) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dtype", "F32");
        t.put("shape", shape);
        t.put("data_offsets", List.of(begin, end));
        return t;
    }

    /** Header bytes, then dataBytes of deterministic pseudo-random data, written in large chunks. */
    private static void writeWithData(Path file, ByteBuffer header, long dataBytes, long seed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] block = new byte[1 << 20];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < block.length; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            for (int b = 0; b < 8; b++) {
                block[i + b] = (byte) (x >>> (8 * b));
            }
        }
        ByteBuffer chunk = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (header.hasRemaining()) {
                ch.write(header);
            }
            long written = 0;
            long index = 0;
            while (written < dataBytes) {
                // Each chunk differs from the last, so no two megabytes of a file are identical.
                chunk.putLong(0, index++ ^ seed);
                int n = (int) Math.min(block.length, dataBytes - written);
                chunk.clear().limit(n);
                while (chunk.hasRemaining()) {
                    written += ch.write(chunk);
                }
            }
        }
    }

    private static ByteBuffer key(ByteBuffer h, String key) {
        return string(h, key);
    }

    private static void kvString(ByteBuffer h, String key, String value) {
        string(key(h, key).putInt(8), value);
    }

    private static ByteBuffer string(ByteBuffer h, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return h.putLong(b.length).put(b);
    }

    /** A minimal ONNX ModelProto: ir_version, producer_name, a graph with one Identity node. */
    public static byte[] onnxBytes() {
        return onnxBytes(0, 0);
    }

    /**
     * As {@link #onnxBytes()}, with a uint8 initializer "w" of {@code weightBytes} seeded bytes in
     * the graph (TensorProto dims, data_type, name, raw_data), so the file has a realistic size.
     */
    public static byte[] onnxBytes(int weightBytes, long seed) {
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        field(node, 1, "x".getBytes(StandardCharsets.UTF_8));
        field(node, 2, "y".getBytes(StandardCharsets.UTF_8));
        field(node, 4, "Identity".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        field(graph, 1, node.toByteArray());
        field(graph, 2, "sample".getBytes(StandardCharsets.UTF_8));
        if (weightBytes > 0) {
            byte[] raw = new byte[weightBytes];
            new java.util.Random(seed).nextBytes(raw);
            ByteArrayOutputStream tensor = new ByteArrayOutputStream();
            varintField(tensor, 1, weightBytes);
            varintField(tensor, 2, 2);
            field(tensor, 8, "w".getBytes(StandardCharsets.UTF_8));
            field(tensor, 9, raw);
            field(graph, 5, tensor.toByteArray());
        }
        ByteArrayOutputStream opset = new ByteArrayOutputStream();
        varintField(opset, 2, 17);
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        varintField(model, 1, 8);
        field(model, 2, "model-depot".getBytes(StandardCharsets.UTF_8));
        field(model, 7, graph.toByteArray());
        field(model, 8, opset.toByteArray());
        return model.toByteArray();
    }

    /** Protobuf wire format, for ONNX samples here and in ReferenceSamples. */
    static void varintField(ByteArrayOutputStream out, int field, long value) {
        varint(out, (long) field << 3);
        varint(out, value);
    }

    static void field(ByteArrayOutputStream out, int field, byte[] bytes) {
        varint(out, (long) field << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
