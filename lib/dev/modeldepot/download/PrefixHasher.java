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
    /** Large reads, few system calls; direct, so the read needs no bounce buffer in the JDK. */
    private static final int READ = 4 << 20;
    /** Below this, wait for more unless the file is complete: small reads cost a call each. */
    private static final int MIN_READ = 1 << 20;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ);
    private volatile long hashed;
    private volatile boolean stop;
    private volatile IOException failure;
    private volatile boolean finished;

    /** Runs once, on the hasher's thread, when the whole file is hashed. */
    private final Runnable whenFinished;

    PrefixHasher(FileChannel channel, Segments segments, Runnable whenFinished) {
        this.channel = channel;
        this.segments = segments;
        this.whenFinished = whenFinished;
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
                long ready = prefix - hashed;
                if (ready >= MIN_READ || (ready > 0 && segments.allDone())) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), ready));
                    int n = channel.read(buffer, hashed);
                    if (n < 0) {
                        throw new IOException("partial file ended at " + hashed + " bytes while hashing");
                    }
                    buffer.flip();
                    digest.update(buffer);
                    hashed += n;
                } else if (segments.allDone() && hashed >= segments.bytesDone()) {
                    finished = true;
                    whenFinished.run();
                    return;
                } else {
                    LockSupport.parkNanos(2_000_000); // 1 MB arrives in ~1 ms at loopback speed
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
