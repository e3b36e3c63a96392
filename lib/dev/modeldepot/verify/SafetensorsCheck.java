package dev.modeldepot.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modeldepot.core.Json;
import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
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
            throw new FormatError("header length " + Long.toUnsignedString(headerLength) + " does not fit in the file (" + size + " bytes)"
                    + (headerLength > MAX_HEADER ? " or is over the format's limit of 100 MB" : ""));
        }
        // Streamed, never read whole: a header near the 100 MB limit parsed into a tree takes GBs.
        List<Span> spans = new ArrayList<>();
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch.position(8)), 1 << 16);
        try (JsonParser p = Json.MAPPER.getFactory().createParser(new BoundedInput(in, headerLength))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FormatError("the header is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("__metadata__")) {
                    checkMetadata(p);
                } else {
                    spans.add(tensor(name, p));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new FormatError("the JSON header does not parse");
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new FormatError("the JSON header does not parse");
        }
        long dataSize = size - 8 - headerLength;
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

    private static void checkMetadata(JsonParser p) throws IOException, FormatError {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FormatError("__metadata__ is not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new FormatError("__metadata__ values must be strings");
            }
        }
    }

    /** One tensor's entry, read field by field: the shape's product is computed, never stored. */
    private static Span tensor(String name, JsonParser p) throws IOException, FormatError {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FormatError("tensor " + name + " lacks dtype, shape or data_offsets");
        }
        String dtype = null;
        long elements = -1;
        long begin = -1;
        long end = -1;
        boolean overflow = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> dtype = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "shape" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw new FormatError("tensor " + name + " has a bad shape");
                    }
                    elements = 1;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                || p.getLongValue() < 0) {
                            throw new FormatError("tensor " + name + " has a bad shape");
                        }
                        try {
                            elements = Math.multiplyExact(elements, p.getLongValue());
                        } catch (ArithmeticException e) {
                            overflow = true;
                        }
                    }
                }
                case "data_offsets" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw new FormatError("tensor " + name + " has bad data_offsets");
                    }
                    long[] o = new long[2];
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || n == 2) {
                            throw new FormatError("tensor " + name + " has bad data_offsets");
                        }
                        o[n++] = p.getLongValue();
                    }
                    if (n != 2) {
                        throw new FormatError("tensor " + name + " has bad data_offsets");
                    }
                    begin = o[0];
                    end = o[1];
                }
                default -> p.skipChildren();
            }
        }
        if (dtype == null || elements < 0 || begin == -1 && end == -1) {
            throw new FormatError("tensor " + name + " lacks dtype, shape or data_offsets");
        }
        Integer bytes = DTYPE_BYTES.get(dtype);
        if (bytes == null) {
            throw new FormatError("tensor " + name + " has an unknown dtype " + dtype);
        }
        if (begin < 0 || end < begin) {
            throw new FormatError("tensor " + name + " has data_offsets out of order [" + begin + ", " + end + "]");
        }
        if (overflow || bytes > 0 && (elements > Long.MAX_VALUE / bytes || end - begin != elements * bytes)) {
            throw new FormatError("tensor " + name + " holds " + (end - begin) + " bytes but its dtype and shape need "
                    + (overflow || elements > Long.MAX_VALUE / Math.max(1, bytes) ? "more than 2^63" : String.valueOf(elements * bytes)));
        }
        return new Span(name, begin, end);
    }

    /** Stops the JSON parser at the header's end: the tensor data after it is not JSON. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private long left;

        BoundedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // The channel belongs to the caller.
        }
    }
}
