package dev.modeldepot.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongConsumer;
import org.apache.commons.codec.binary.Hex;

/**
 * Streaming SHA-256 of a file. The store's own small helper; at merge it can delegate to the
 * verify package's FileVerifier, which adds format checks.
 */
public final class Hashing {
    private static final int BUFFER = 1 << 20;

    private Hashing() {}

    public static String sha256(Path file) throws IOException {
        return sha256(file, null);
    }

    /** Lowercase hex SHA-256; {@code progress} (may be null) receives bytes hashed so far. */
    public static String sha256(Path file, LongConsumer progress) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER];
        long done = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                done += n;
                if (progress != null) {
                    progress.accept(done);
                }
            }
        }
        return Hex.encodeHexString(digest.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
