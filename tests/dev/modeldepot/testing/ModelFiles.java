package dev.modeldepot.testing;

import dev.modeldepot.verify.SampleFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Real small model files for tests (valid GGUF, safetensors, zip-based PyTorch, ONNX, JSON) and
 * the ways they break: truncation, a flipped bit, a later same-size rewrite.
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** A valid GGUF v3 language model of about the given size. */
    public static Path gguf(Path file, long approxBytes) throws IOException {
        SampleFiles.writeGguf(file, approxBytes, false);
        return file;
    }

    /** A valid GGUF CLIP projector (mmproj). */
    public static Path mmproj(Path file, long approxBytes) throws IOException {
        SampleFiles.writeGguf(file, approxBytes, true);
        return file;
    }

    public static Path safetensors(Path file, long approxBytes) throws IOException {
        SampleFiles.writeSafetensors(file, approxBytes);
        return file;
    }

    /** A safetensors file with this JSON header followed by dataBytes bytes of data. */
    public static Path safetensorsWithHeader(Path file, String headerJson, int dataBytes) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
        return file;
    }

    /** Where a string (a GGUF key or tensor name) ends in the file, or -1. */
    public static long endOf(Path file, String text) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i + needle.length;
        }
        return -1;
    }

    /** Little-endian bytes of a 32-bit value. */
    public static byte[] le32(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Little-endian bytes of a 64-bit value. */
    public static byte[] le64(long v) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** A zip laid out like torch.save's: archive/data.pkl, archive/data/0, archive/version. */
    public static Path torchZip(Path file, int tensorBytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            zip.setLevel(0);
            put(zip, "archive/data.pkl", new byte[] {(byte) 0x80, 2, ']', 'q', 0, '.'});
            byte[] data = new byte[tensorBytes];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            put(zip, "archive/data/0", data);
            put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    public static Path onnx(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, SampleFiles.onnxBytes());
        return file;
    }

    public static Path json(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
        return file;
    }

    /** Cuts the file to newSize bytes. */
    public static void truncate(Path file, long newSize) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(newSize);
        }
    }

    /** Flips one bit of the byte at offset, keeping size (mtime changes, as with any write). */
    public static void flipBit(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x10);
        }
    }

    /** Overwrites bytes at offset in place. */
    public static void patch(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    /** Rewrites the whole file with other bytes of the same size (the last byte changed). */
    public static void rewriteSameSize(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    /** As rewriteSameSize, then puts the old mtime back: an edit only a deep check can see. */
    public static void rewriteSameSizeKeepingMtime(Path file) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        rewriteSameSize(file);
        Files.setLastModifiedTime(file, mtime);
    }

    /** Sets the mtime to a fixed day in the past, so any later write visibly changes it. */
    public static void backdate(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));
    }

    public static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(d.digest());
    }
}
