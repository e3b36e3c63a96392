package dev.modeldepot.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * safetensors structure: an 8-byte little-endian header length within the file, a JSON header
 * that parses, and tensors whose data_offsets match dtype and shape, follow each other from 0
 * without gaps or overlaps and end exactly at the end of the file.
 */
final class SafetensorsCheck {
    /** The format's own limit on the header. */
    static final long MAX_HEADER = 100L << 20;

    /** Bytes per element; 0 for sub-byte types whose packing is not checked. */
    static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E4M3", 1),
            Map.entry("F8_E5M2", 1), Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8),
            Map.entry("C64", 8), Map.entry("F4", 0), Map.entry("F6_E2M3", 0), Map.entry("F6_E3M2", 0));

    private record Span(String name, long begin, long end) {}

    private SafetensorsCheck() {}

    static String check(FileChannel ch, long size) throws IOException, FormatError {
        PositionalReader r = new PositionalReader(ch, size, 1 << 16);
        long headerLength = r.i64("header length");
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw new FormatError("header length " + Long.toUnsignedString(headerLength) + " does not fit in the file (" + size + " bytes)");
        }
        byte[] header = r.bytes((int) headerLength, "JSON header");
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(header);
        } catch (IOException e) {
            throw new FormatError("the JSON header does not parse");
        }
        if (root == null || !root.isObject()) {
            throw new FormatError("the header is not a JSON object");
        }
        long dataSize = size - 8 - headerLength;
        List<Span> spans = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                checkMetadata(e.getValue());
            } else {
                spans.add(tensor(e.getKey(), e.getValue()));
            }
        }
        spans.sort(Comparator.comparingLong(Span::begin).thenComparingLong(Span::end));
        long expected = 0;
        for (Span s : spans) {
            if (s.begin() != expected) {
                throw new FormatError("tensor " + s.name() + " starts at " + s.begin() + " but the previous data ends at " + expected
                        + (s.begin() > expected ? " (gap)" : " (overlap)"));
            }
            expected = s.end();
        }
        if (expected != dataSize) {
            throw new FormatError(expected > dataSize
                    ? "truncated: the tensors need " + expected + " data bytes but the file holds " + dataSize
                    : "the tensors end at " + expected + " but the file has " + (dataSize - expected) + " more bytes");
        }
        return "safetensors, " + spans.size() + " tensors, data contiguous and ending at the end of the file";
    }

    private static void checkMetadata(JsonNode metadata) throws FormatError {
        if (!metadata.isObject()) {
            throw new FormatError("__metadata__ is not an object");
        }
        for (Iterator<JsonNode> it = metadata.elements(); it.hasNext(); ) {
            if (!it.next().isTextual()) {
                throw new FormatError("__metadata__ values must be strings");
            }
        }
    }

    private static Span tensor(String name, JsonNode t) throws FormatError {
        if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray() || !t.path("data_offsets").isArray()) {
            throw new FormatError("tensor " + name + " lacks dtype, shape or data_offsets");
        }
        Integer bytes = DTYPE_BYTES.get(t.get("dtype").asText());
        if (bytes == null) {
            throw new FormatError("tensor " + name + " has an unknown dtype " + t.get("dtype").asText());
        }
        long elements = 1;
        for (JsonNode dim : t.get("shape")) {
            if (!dim.canConvertToExactIntegral() || dim.asLong() < 0) {
                throw new FormatError("tensor " + name + " has a bad shape " + t.get("shape"));
            }
            elements = Math.multiplyExact(elements, dim.asLong());
        }
        JsonNode offsets = t.get("data_offsets");
        if (offsets.size() != 2 || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new FormatError("tensor " + name + " has bad data_offsets " + offsets);
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new FormatError("tensor " + name + " has data_offsets out of order " + offsets);
        }
        if (bytes > 0 && end - begin != elements * bytes) {
            throw new FormatError("tensor " + name + " holds " + (end - begin) + " bytes but its dtype and shape need " + elements * bytes);
        }
        return new Span(name, begin, end);
    }
}
