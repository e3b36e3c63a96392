package dev.modeldepot.verify;

import static dev.modeldepot.verify.SampleFiles.field;
import static dev.modeldepot.verify.SampleFiles.varintField;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Files in the layouts the reference writers produce where {@link SampleFiles} does not go: gguf-py's
 * GGUFWriter with any tensor shapes (scalars with no dimension, tensors with a 0 dimension) in
 * either byte order, and onnx's external-data layout (initializers whose bytes live in a side file,
 * as {@code onnx.save_model(..., save_as_external_data=True)} writes them). The tests build their
 * fixture set with these; each method says which layout rule it follows.
 */
public final class ReferenceSamples {
    /** A GGUF tensor: its name, its dimensions (ne[0] first, as GGUF stores them) and ggml type (0 = F32, 1 = F16). */
    public record GgufTensor(String name, long[] dims, int type) {}

    /** An ONNX initializer of FLOAT (type 1) data kept in the external file. */
    public record OnnxTensor(String name, long[] dims) {}

    private ReferenceSamples() {}

    /**
     * GGUF v3 as GGUFWriter writes it: header, metadata (architecture, alignment 32), tensor infos,
     * padding to the alignment, then each tensor's data padded to the alignment. Big-endian files
     * (GGUFWriter(endianess=BIG)) write every number big-endian; the magic stays the bytes "GGUF".
     */
    public static void writeGguf(Path file, boolean bigEndian, List<GgufTensor> tensors) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(1 << 16).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        h.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(tensors.size()).putLong(2);
        string(h, "general.architecture").putInt(8);
        string(h, "llama");
        string(h, "general.alignment").putInt(4).putInt(32);
        long offset = 0;
        long[] lengths = new long[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            GgufTensor t = tensors.get(i);
            string(h, t.name()).putInt(t.dims().length);
            long elements = 1;
            for (long d : t.dims()) {
                h.putLong(d);
                elements *= d;
            }
            h.putInt(t.type()).putLong(offset);
            lengths[i] = elements * (t.type() == 0 ? 4 : 2);
            offset = GgufCheck.align(offset + lengths[i], 32);
        }
        while (h.position() % 32 != 0) {
            h.put((byte) 0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(h.array(), 0, h.position());
        for (long length : lengths) {
            for (long b = 0; b < length; b++) {
                out.write((int) (b * 31 + 7));
            }
            while (out.size() % 32 != 0) {
                out.write(0);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out.toByteArray());
    }

    /**
     * An ONNX model whose FLOAT initializers keep their data in {@code location} beside it, as
     * onnx's external_data_helper writes them: each TensorProto has dims, data_type, name,
     * external_data entries {location, offset, length} and data_location = EXTERNAL; the side
     * file holds the tensors one after another, each starting at a multiple of 4096 (onnx's
     * align_offset for large tensors). Returns the data file.
     */
    public static Path writeOnnxWithExternalData(Path model, String location, List<OnnxTensor> tensors) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        field(node, 1, bytes(tensors.get(0).name()));
        field(node, 2, bytes("y"));
        field(node, 4, bytes("Identity"));
        field(graph, 1, node.toByteArray());
        field(graph, 2, bytes("external"));
        for (OnnxTensor t : tensors) {
            while (data.size() % 4096 != 0) {
                data.write(0);
            }
            long offset = data.size();
            long elements = 1;
            for (long d : t.dims()) {
                elements *= d;
            }
            for (long b = 0; b < elements * 4; b++) {
                data.write((int) (b * 13 + 1));
            }
            ByteArrayOutputStream tensor = new ByteArrayOutputStream();
            for (long d : t.dims()) {
                varintField(tensor, 1, d);
            }
            varintField(tensor, 2, 1);
            field(tensor, 8, bytes(t.name()));
            entry(tensor, "location", location);
            entry(tensor, "offset", Long.toString(offset));
            entry(tensor, "length", Long.toString(elements * 4));
            varintField(tensor, 14, 1);
            field(graph, 5, tensor.toByteArray());
        }
        ByteArrayOutputStream opset = new ByteArrayOutputStream();
        varintField(opset, 2, 17);
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        varintField(proto, 1, 8);
        field(proto, 2, bytes("model-depot"));
        field(proto, 7, graph.toByteArray());
        field(proto, 8, opset.toByteArray());
        Files.createDirectories(model.toAbsolutePath().getParent());
        Files.write(model, proto.toByteArray());
        Path dataFile = model.toAbsolutePath().getParent().resolve(location);
        Files.write(dataFile, data.toByteArray());
        return dataFile;
    }

    private static void entry(ByteArrayOutputStream tensor, String key, String value) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        field(e, 1, bytes(key));
        field(e, 2, bytes(value));
        field(tensor, 13, e.toByteArray());
    }

    private static ByteBuffer string(ByteBuffer h, String s) {
        byte[] b = bytes(s);
        return h.putLong(b.length).put(b);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
