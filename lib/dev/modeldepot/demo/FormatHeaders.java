package dev.modeldepot.demo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes real file headers so the demo files have the shape of the real thing: a GGUF v3 header
 * with metadata and one tensor whose data fills the rest of the file, and a safetensors JSON
 * header describing one tensor that fills the rest.
 */
public final class FormatHeaders {
    private static final int GGUF_ALIGNMENT = 32;
    private static final int GGUF_STRING = 8;
    private static final int GGUF_UINT32 = 4;
    private static final int GGML_F32 = 0;

    private FormatHeaders() {}

    /** A header plus the exact file size it describes (header + tensor data). */
    public record Sized(byte[] header, long size) {}

    /** GGUF v3: magic, version, counts, string/uint32 metadata, one F32 tensor info, padding to 32. */
    public static Sized gguf(String architecture, String name, long approxSize) {
        Map<String, Object> kv = new java.util.LinkedHashMap<>();
        kv.put("general.architecture", architecture);
        kv.put("general.name", name);
        kv.put("general.file_type", 0);
        kv.put(architecture + ".context_length", 4096);
        // Two passes: the header length does not depend on the element count (fixed-width fields).
        byte[] probe = ggufHeader(kv, 1);
        long elements = Math.max(1, (approxSize - probe.length) / 4);
        byte[] header = ggufHeader(kv, elements);
        return new Sized(header, header.length + elements * 4);
    }

    private static byte[] ggufHeader(Map<String, Object> kv, long elements) {
        Le out = new Le();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(3);
        out.u64(1);
        out.u64(kv.size());
        kv.forEach((key, value) -> {
            out.str(key);
            if (value instanceof String s) {
                out.u32(GGUF_STRING);
                out.str(s);
            } else {
                out.u32(GGUF_UINT32);
                out.u32((Integer) value);
            }
        });
        out.str("token_embd.weight");
        out.u32(1);
        out.u64(elements);
        out.u32(GGML_F32);
        out.u64(0);
        while (out.size() % GGUF_ALIGNMENT != 0) {
            out.bytes(new byte[] {0});
        }
        return out.toByteArray();
    }

    /** safetensors: u64 little-endian header length, JSON header padded with spaces to 8 bytes, F16 data. */
    public static Sized safetensors(String tensorName, long approxSize) {
        long elements = Math.max(1, (approxSize - 256) / 2);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"" + tensorName + "\":{\"dtype\":\"F16\",\"shape\":["
                + elements + "],\"data_offsets\":[0," + (elements * 2) + "]}}";
        StringBuilder padded = new StringBuilder(json);
        while ((padded.length() + 8) % 8 != 0) {
            padded.append(' ');
        }
        byte[] text = padded.toString().getBytes(StandardCharsets.UTF_8);
        Le out = new Le();
        out.u64(text.length);
        out.bytes(text);
        byte[] header = out.toByteArray();
        return new Sized(header, header.length + elements * 2);
    }

    /** Little-endian writer for the GGUF and safetensors fields. */
    private static final class Le extends ByteArrayOutputStream {
        void u32(long v) {
            write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array(), 0, 4);
        }

        void u64(long v) {
            write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(), 0, 8);
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }
    }
}
