package dev.modeldepot.verify;

import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * GGUF (llama.cpp) structure: magic, version 1-3, sane counts, every metadata key/value parsed
 * (arrays and strings included), every tensor info read, and each tensor's data aligned and inside
 * the file. A truncated download fails here because its last tensors end past the end of the file.
 * As in gguf-py and ggml: a tensor may have 0 dimensions (a scalar) or a dimension of 0 (no data),
 * and a big-endian file (gguf-py's --bigendian, for s390x) is a valid GGUF read in that byte order:
 * its version reads 50331648 little-endian, and many readers cannot load it, which the check says.
 */
final class GgufCheck {
    static final int MAX_DIMS = 4;
    static final long MAX_TENSORS = 1L << 20;
    static final long MAX_KV = 1L << 20;
    static final long MAX_STRING = 1L << 30;

    /**
     * {block size, bytes per block} by ggml type id; {0, 0} for ids no longer in use. Checked
     * against the table of Hugging Face's GGUF parser (@huggingface/gguf); a type id past the end
     * gets its offset checked but not its length.
     */
    static final int[][] TYPE_SIZES = {
        {1, 4}, {1, 2}, {32, 18}, {32, 20}, {0, 0}, {0, 0}, {32, 22}, {32, 24}, {32, 34}, {32, 36},
        {256, 84}, {256, 110}, {256, 144}, {256, 176}, {256, 210}, {256, 292}, {256, 66}, {256, 74},
        {256, 98}, {256, 50}, {32, 18}, {256, 110}, {256, 82}, {256, 136}, {1, 1}, {1, 2}, {1, 4},
        {1, 8}, {1, 8}, {256, 56}, {1, 2}, {0, 0}, {0, 0}, {0, 0}, {256, 54}, {256, 66}, {0, 0},
        {0, 0}, {0, 0}, {32, 17}, {64, 36}, {128, 18}, {64, 18},
    };

    private GgufCheck() {}

    static String check(FileChannel ch, long size) throws IOException, FormatError {
        PositionalReader r = new PositionalReader(ch, size, 1 << 16);
        if (size < 4 || r.i32("magic") != 0x46554747) {
            throw new FormatError("the file does not start with the GGUF magic");
        }
        long version = r.u32("version");
        boolean bigEndian = false;
        if ((version < 1 || version > 3) && Integer.reverseBytes((int) version) >= 1 && Integer.reverseBytes((int) version) <= 3) {
            bigEndian = true;
            version = Integer.reverseBytes((int) version);
            r.bigEndian();
        }
        if (version < 1 || version > 3) {
            throw new FormatError("unsupported GGUF version " + version);
        }
        boolean v1 = version == 1;
        long tensors = v1 ? r.u32("tensor count") : r.i64("tensor count");
        long kvs = v1 ? r.u32("metadata count") : r.i64("metadata count");
        if (tensors < 0 || tensors > MAX_TENSORS || tensors * 24 > size) {
            throw new FormatError("implausible tensor count " + Long.toUnsignedString(tensors));
        }
        if (kvs < 0 || kvs > MAX_KV || kvs * 13 > size) {
            throw new FormatError("implausible metadata count " + Long.toUnsignedString(kvs));
        }
        long alignment = 32;
        String architecture = null;
        for (long i = 0; i < kvs; i++) {
            String key = string(r, v1, "metadata key #" + i);
            int type = r.i32("type of " + key);
            if (key.equals("general.alignment")) {
                if (type != 4) {
                    throw new FormatError("general.alignment must be a uint32");
                }
                alignment = r.u32(key);
                if (alignment == 0 || Long.bitCount(alignment) != 1) {
                    throw new FormatError("general.alignment " + alignment + " is not a power of two");
                }
            } else if (key.equals("general.architecture") && type == 8) {
                architecture = string(r, v1, key);
            } else {
                value(r, v1, type, key, 0);
            }
        }
        long[] offsets = new long[(int) tensors];
        long[] lengths = new long[(int) tensors];
        String[] names = new String[(int) tensors];
        for (int t = 0; t < tensors; t++) {
            String name = string(r, v1, "tensor name #" + t);
            names[t] = name;
            long nDims = r.u32("dimensions of " + name);
            if (nDims > MAX_DIMS) {
                throw new FormatError("tensor " + name + " has " + nDims + " dimensions (0 to " + MAX_DIMS + " allowed)");
            }
            long elements = 1;
            long first = 1; // a scalar is one element, like ggml's ne[0] = 1
            for (int d = 0; d < nDims; d++) {
                long dim = v1 ? r.u32("dimension of " + name) : r.i64("dimension of " + name);
                if (dim < 0 || dim > size * 8) {
                    throw new FormatError("tensor " + name + " has an impossible dimension " + Long.toUnsignedString(dim));
                }
                if (d == 0) {
                    first = dim;
                }
                elements = Math.multiplyHigh(elements, dim) != 0 ? Long.MAX_VALUE : elements * dim;
            }
            int type = r.i32("type of " + name);
            offsets[t] = r.i64("offset of " + name);
            lengths[t] = dataLength(name, type, first, elements);
        }
        long dataStart = align(r.position(), alignment);
        if (dataStart > size && tensors > 0) {
            throw new FormatError("truncated: the tensor data section would start at " + dataStart + " past the end of the file (" + size + ")");
        }
        for (int t = 0; t < tensors; t++) {
            if (offsets[t] < 0 || offsets[t] % alignment != 0) {
                throw new FormatError("tensor " + names[t] + " data offset " + Long.toUnsignedString(offsets[t]) + " is not aligned to " + alignment);
            }
            long tensorEnd = dataStart + offsets[t] + Math.max(lengths[t], 0);
            if (tensorEnd > size || tensorEnd < 0) {
                throw new FormatError("truncated: tensor " + names[t] + " ends at byte " + tensorEnd + " but the file has " + size);
            }
        }
        return (bigEndian ? "big-endian GGUF v" : "GGUF v") + version + (architecture == null ? "" : " (" + architecture + ")") + ", " + kvs
                + " metadata keys, " + tensors + " tensors, data aligned to " + alignment + " and within the file"
                + (bigEndian ? " (a valid format that little-endian readers such as llama.cpp on x86 and ARM do not load)" : "");
    }

    /** Bytes of a tensor's data, or -1 when its type is unknown (then only its offset is checked). */
    private static long dataLength(String name, int type, long firstDim, long elements) throws FormatError {
        if (type < 0 || type >= TYPE_SIZES.length || TYPE_SIZES[type][0] == 0) {
            if (type < 0 || type > 1024) {
                throw new FormatError("tensor " + name + " has an invalid type " + type);
            }
            return -1;
        }
        int block = TYPE_SIZES[type][0];
        if (firstDim % block != 0) {
            throw new FormatError("tensor " + name + " row of " + firstDim + " is not a multiple of its type's block of " + block);
        }
        if (elements == Long.MAX_VALUE) {
            throw new FormatError("tensor " + name + " is impossibly large");
        }
        return elements / block * TYPE_SIZES[type][1];
    }

    static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private static String string(PositionalReader r, boolean v1, String what) throws IOException, FormatError {
        long length = v1 ? r.u32("length of " + what) : r.i64("length of " + what);
        if (length < 0 || length > MAX_STRING) {
            throw new FormatError("implausible string length " + Long.toUnsignedString(length) + " in " + what);
        }
        r.require(length, what);
        return length <= 4096 ? r.utf8((int) length, what) : skipAndName(r, length, what);
    }

    /** A string value nobody reads (vocabularies hold 100k+ of them): bounds-checked, not decoded. */
    private static void skipString(PositionalReader r, boolean v1, String what) throws IOException, FormatError {
        long length = v1 ? r.u32("length of " + what) : r.i64("length of " + what);
        if (length < 0 || length > MAX_STRING) {
            throw new FormatError("implausible string length " + Long.toUnsignedString(length) + " in " + what);
        }
        r.skip(length, what);
    }

    private static String skipAndName(PositionalReader r, long length, String what) throws FormatError {
        r.skip(length, what);
        return "";
    }

    /** Parses (and skips) one value of a metadata type; arrays recurse. */
    private static void value(PositionalReader r, boolean v1, int type, String key, int depth) throws IOException, FormatError {
        switch (type) {
            case 0, 1, 7 -> r.skip(1, key);
            case 2, 3 -> r.skip(2, key);
            case 4, 5, 6 -> r.skip(4, key);
            case 10, 11, 12 -> r.skip(8, key);
            case 8 -> skipString(r, v1, key);
            case 9 -> {
                if (depth > 2) {
                    throw new FormatError("arrays nested too deeply in " + key);
                }
                int elementType = r.i32("element type of " + key);
                long count = v1 ? r.u32("length of " + key) : r.i64("length of " + key);
                if (count < 0 || count > r.remaining()) {
                    throw new FormatError("implausible array length " + Long.toUnsignedString(count) + " in " + key);
                }
                int fixed = switch (elementType) {
                    case 0, 1, 7 -> 1;
                    case 2, 3 -> 2;
                    case 4, 5, 6 -> 4;
                    case 10, 11, 12 -> 8;
                    default -> 0;
                };
                if (fixed > 0) {
                    r.skip(count * fixed, key);
                } else {
                    for (long i = 0; i < count; i++) {
                        value(r, v1, elementType, key, depth + 1);
                    }
                }
            }
            default -> throw new FormatError("unknown metadata value type " + type + " for " + key);
        }
    }
}
