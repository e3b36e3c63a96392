package dev.modeldepot.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** SHA-256 of a file: the one implementation the engine, the store and the verifier share. */
public final class Hashing {
    /** Read size: big enough that the per-read cost vanishes, small enough per thread. */
    public static final int BUFFER_BYTES = 2 << 20;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_BYTES));

    private Hashing() {}

    public static String sha256(Path file) throws IOException {
        return sha256(file, null);
    }

    /**
     * Lowercase hex SHA-256 in one streaming read; {@code bytesHashed} (may be null) receives each
     * read's byte count. A direct buffer: the kernel copies straight into it and the digest reads
     * it in place, one copy fewer than a heap array (measured about 1.3 GB/s of CPU time against
     * 0.9 for a heap buffer on the project's machine). Stops with InterruptedIOException when the
     * thread is interrupted.
     */
    public static String sha256(Path file, LongConsumer bytesHashed) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = BUFFERS.get();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = ch.read(buffer.clear())) >= 0; ) {
                if (n == 0) {
                    continue;
                }
                digest.update(buffer.flip());
                if (bytesHashed != null) {
                    bytesHashed.accept(n);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("hashing " + file.getFileName() + " was interrupted");
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
