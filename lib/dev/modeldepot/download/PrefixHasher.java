package dev.modeldepot.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.locks.LockSupport;

/**
 * SHA-256 of the partial file, following the completed prefix in order while workers fill it.
 * It reads back what was just written (still in the page cache), so hashing overlaps the
 * transfer and is done moments after the last byte: no second full read at the end.
 */
final class PrefixHasher implements Runnable {
    private final FileChannel channel;
    private final Segments segments;
    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private volatile long hashed;
    private volatile boolean stop;
    private volatile IOException failure;
    private volatile boolean finished;

    PrefixHasher(FileChannel channel, Segments segments) {
        this.channel = channel;
        this.segments = segments;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void run() {
        int[] hint = {0};
        try {
            while (!stop) {
                long prefix = segments.size < 0 ? segments.bytesDone() : segments.prefix(hint);
                if (prefix > hashed) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), prefix - hashed));
                    int n = channel.read(buffer, hashed);
                    if (n < 0) {
                        throw new IOException("partial file ended at " + hashed + " bytes while hashing");
                    }
                    digest.update(buffer.array(), 0, n);
                    hashed += n;
                } else if (segments.allDone() && hashed >= segments.bytesDone()) {
                    finished = true;
                    return;
                } else {
                    LockSupport.parkNanos(2_000_000); // workers write in 16-64 kB chunks; 2 ms is plenty fine
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    void stop() {
        stop = true;
    }

    long hashed() {
        return hashed;
    }

    boolean finished() {
        return finished;
    }

    IOException failure() {
        return failure;
    }

    /** Lowercase hex; only valid once {@link #finished()}. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
