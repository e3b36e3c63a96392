package dev.modeldepot.verify;

import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * ONNX: the ModelProto framing. Every top-level protobuf field through the end of the file has a
 * valid tag and wire type and, if length-delimited, stays inside the file; ir_version (field 1,
 * varint) and graph (field 7, bytes) must be present. The graph's own fields are walked the same
 * way, so a cut inside the graph is caught too. Initializers (graph field 5) kept in external data
 * files are checked against those files ({@link OnnxExternalData}) when the model sits in its own
 * folder; a store blob (named by its hash, no extension) has no folder of siblings, and its data
 * file is verified as a file of its own.
 */
final class OnnxCheck {
    private OnnxCheck() {}

    static String check(FileChannel ch, long size, Path file) throws IOException, FormatError {
        PositionalReader r = new PositionalReader(ch, size, 1 << 16);
        long irVersion = -1;
        long graphStart = -1;
        long graphLength = 0;
        int fields = 0;
        while (r.remaining() > 0) {
            long at = r.position();
            long tag = r.varint("field tag");
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field < 1 || tag >>> 3 > 536_870_911L) {
                throw new FormatError("invalid protobuf field number at offset " + at);
            }
            if (field == 1 && wire != 0 || field == 7 && wire != 2) {
                throw new FormatError("ModelProto field " + field + " has the wrong wire type " + wire);
            }
            switch (wire) {
                case 0 -> {
                    long v = r.varint("field " + field);
                    if (field == 1) {
                        irVersion = v;
                    }
                }
                case 1 -> r.skip(8, "field " + field);
                case 5 -> r.skip(4, "field " + field);
                case 2 -> {
                    long length = r.varint("length of field " + field);
                    if (field == 7) {
                        graphStart = r.position();
                        graphLength = length;
                    }
                    r.skip(length, "field " + field);
                }
                default -> throw new FormatError("unsupported protobuf wire type " + wire + " at offset " + at);
            }
            fields++;
        }
        if (irVersion < 1) {
            throw new FormatError("no ir_version field: not an ONNX model");
        }
        if (graphStart < 0) {
            throw new FormatError("no graph field: not an ONNX model");
        }
        List<OnnxExternalData.Tensor> external = new ArrayList<>();
        int graphFields = walk(r, graphStart, graphStart + graphLength, external);
        String seen = "ONNX ModelProto, ir_version " + irVersion + ", " + fields + " top-level fields, graph with " + graphFields + " fields";
        if (external.isEmpty()) {
            return seen;
        }
        String name = file.getFileName().toString();
        if (name.indexOf('.') < 0) {
            return seen + ", " + external.size() + " tensors in external data (not checked at a store blob: each data file is verified on its own)";
        }
        TreeSet<String> files = OnnxExternalData.check(file.toAbsolutePath().getParent(), external);
        return seen + ", " + external.size() + " tensors in external data " + String.join(", ", files) + ", each within its file";
    }

    /** Walks the fields of one embedded message, which must end exactly at its declared end. */
    private static int walk(PositionalReader r, long start, long end, List<OnnxExternalData.Tensor> external) throws IOException, FormatError {
        r.seek(start);
        int count = 0;
        while (r.position() < end) {
            long tag = r.varint("graph field tag");
            int wire = (int) (tag & 7);
            if (tag >>> 3 == 0) {
                throw new FormatError("invalid field number inside the graph at offset " + r.position());
            }
            switch (wire) {
                case 0 -> r.varint("graph field");
                case 1 -> r.skip(8, "graph field");
                case 5 -> r.skip(4, "graph field");
                case 2 -> {
                    long length = r.varint("graph field length");
                    long fieldStart = r.position();
                    r.skip(length, "graph field");
                    if (tag >>> 3 == 5) {
                        OnnxExternalData.Tensor t = OnnxExternalData.read(r, fieldStart, fieldStart + length);
                        if (r.position() != fieldStart + length) {
                            throw new FormatError("an initializer overruns its declared length");
                        }
                        if (t != null) {
                            external.add(t);
                        }
                    }
                }
                default -> throw new FormatError("unsupported wire type " + wire + " inside the graph");
            }
            count++;
        }
        if (r.position() != end) {
            throw new FormatError("the graph's fields overrun its declared length");
        }
        return count;
    }
}
