package dev.modeldepot.verify;

import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * ONNX external data (every model over 2 GB keeps its weights this way): each initializer whose
 * data_location is EXTERNAL names a {@code location} (a file relative to the model's folder),
 * an {@code offset} and a {@code length}. Checked as onnx's loader reads them: the location is
 * relative, has no "..", stays inside the folder (symbolic links too), exists, and the bytes
 * [offset, offset+length) are inside it; a length that is absent means "to the end of the file",
 * then the tensor's dims and type say how many bytes it needs.
 */
final class OnnxExternalData {
    /** A TensorProto's external reference, as read from the model. */
    record Tensor(String name, String location, long offset, long length, long neededBytes) {}

    /** Bytes per element by TensorProto.DataType (0 for types with no fixed size). */
    private static final int[] ELEMENT_BYTES = {0, 4, 1, 1, 2, 2, 4, 8, 0, 1, 2, 8, 4, 8, 8, 16, 2, 1, 1, 1, 1};

    private OnnxExternalData() {}

    /**
     * Reads one TensorProto in [start, end); returns its external reference, or null when its data
     * is inside the model.
     */
    static Tensor read(PositionalReader r, long start, long end) throws IOException, FormatError {
        r.seek(start);
        List<Long> dims = new ArrayList<>();
        long dataType = 0;
        long location = 0;
        String name = "?";
        String where = null;
        long offset = 0;
        long length = -1;
        while (r.position() < end) {
            long tag = r.varint("tensor field tag");
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 0) {
                dims.add(r.varint("dims"));
            } else if (field == 1 && wire == 2) {
                long packedEnd = r.position() + r.varint("packed dims length");
                while (r.position() < packedEnd) {
                    dims.add(r.varint("dims"));
                }
            } else if (field == 2 && wire == 0) {
                dataType = r.varint("data_type");
            } else if (field == 14 && wire == 0) {
                location = r.varint("data_location");
            } else if (field == 8 && wire == 2) {
                name = text(r, "tensor name");
            } else if (field == 13 && wire == 2) {
                long entryEnd = r.position() + r.varint("external_data length");
                String key = null;
                String value = null;
                while (r.position() < entryEnd) {
                    long t = r.varint("external_data field");
                    if (t == (1 << 3 | 2)) {
                        key = text(r, "external_data key");
                    } else if (t == (2 << 3 | 2)) {
                        value = text(r, "external_data value");
                    } else {
                        skip(r, (int) (t & 7));
                    }
                }
                if (key != null && value != null) {
                    switch (key) {
                        case "location" -> where = value;
                        case "offset" -> offset = number(value, name, key);
                        case "length" -> length = number(value, name, key);
                        default -> { } // "checksum" and future keys: not about where the bytes are
                    }
                }
            } else {
                skip(r, wire);
            }
        }
        if (location != 1) {
            return null;
        }
        if (where == null) {
            throw new FormatError("tensor " + name + " is marked external but names no location");
        }
        return new Tensor(name, where, offset, length, needed(dims, dataType));
    }

    /** Checks every external tensor against its data file in {@code folder}; returns the files named. */
    static TreeSet<String> check(Path folder, List<Tensor> tensors) throws FormatError {
        TreeSet<String> files = new TreeSet<>();
        for (Tensor t : tensors) {
            Path data = inside(folder, t);
            long size;
            try {
                if (!Files.isRegularFile(data)) {
                    throw new IOException("not a file");
                }
                size = Files.size(data);
            } catch (IOException e) {
                throw new FormatError("the external data file " + t.location() + " of tensor " + t.name() + " is missing");
            }
            long needed = t.length() >= 0 ? t.length() : t.neededBytes();
            if (t.length() >= 0 && t.neededBytes() >= 0 && t.length() != t.neededBytes()) {
                throw new FormatError("tensor " + t.name() + " has external length " + t.length() + " but its dims and type need "
                        + t.neededBytes() + " bytes");
            }
            if (t.offset() > size || needed >= 0 && t.offset() + needed > size) {
                throw new FormatError("truncated: tensor " + t.name() + " needs bytes " + t.offset() + " to "
                        + (t.offset() + Math.max(needed, 0)) + " of " + t.location() + ", which has " + size);
            }
            files.add(t.location());
        }
        return files;
    }

    /** The data file, refused when its location leaves the model's folder (absolute, "..", or a link out). */
    private static Path inside(Path folder, Tensor t) throws FormatError {
        String location = t.location();
        if (location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*")
                || location.contains("\0") || List.of(location.split("[/\\\\]")).contains("..")) {
            throw new FormatError("tensor " + t.name() + " has external data at " + location + ", outside the model's folder");
        }
        Path base = folder.toAbsolutePath().normalize();
        Path data = NameBytes.ofText(location).resolveIn(base).normalize();
        try {
            if (Files.exists(data) && !data.toRealPath().startsWith(base.toRealPath())) {
                throw new FormatError("tensor " + t.name() + " has external data at " + location + ", a link out of the model's folder");
            }
        } catch (IOException e) {
            throw new FormatError("cannot read the external data file " + location + ": " + e.getMessage());
        }
        return data;
    }

    private static long needed(List<Long> dims, long dataType) {
        if (dataType <= 0 || dataType >= ELEMENT_BYTES.length || ELEMENT_BYTES[(int) dataType] == 0) {
            return -1;
        }
        long elements = 1;
        for (long d : dims) {
            if (d < 0 || Math.multiplyHigh(elements, d) != 0) {
                return -1;
            }
            elements *= d;
        }
        return Math.multiplyHigh(elements, ELEMENT_BYTES[(int) dataType]) != 0 ? -1 : elements * ELEMENT_BYTES[(int) dataType];
    }

    private static long number(String value, String tensor, String key) throws FormatError {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new FormatError("tensor " + tensor + " has an invalid external " + key + " '" + value + "'");
        }
    }

    private static String text(PositionalReader r, String what) throws IOException, FormatError {
        long n = r.varint("length of " + what);
        if (n < 0 || n > 1 << 16) {
            throw new FormatError("implausible length " + n + " of " + what);
        }
        return r.utf8((int) n, what);
    }

    private static void skip(PositionalReader r, int wire) throws IOException, FormatError {
        switch (wire) {
            case 0 -> r.varint("tensor field");
            case 1 -> r.skip(8, "tensor field");
            case 5 -> r.skip(4, "tensor field");
            case 2 -> r.skip(r.varint("tensor field length"), "tensor field");
            default -> throw new FormatError("unsupported wire type " + wire + " inside a tensor");
        }
    }
}
