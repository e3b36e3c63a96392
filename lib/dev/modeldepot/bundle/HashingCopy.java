package dev.modeldepot.bundle;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.commons.codec.binary.Hex;

/**
 * Copies a range and hashes it at the same time: the kernel copies (transferTo) on the calling
 * thread while a second thread hashes the same source range, which the copy has just brought into
 * the page cache. The wall time is the slower of the two, not their sum.
 */
final class HashingCopy {
    private static final long CHUNK = 32L << 20;

    private HashingCopy() {}

    /** Where copied bytes go: a file, or the current part of a split tar. */
    interface Sink {
        void put(Parts source, long position, long count) throws IOException;

        static Sink of(FileChannel channel) {
            return (source, position, count) -> source.transferTo(position, count, channel);
        }
    }

    static String copy(Parts source, long offset, long size, Sink target, Executor hasher,
                       LongConsumer progress, BooleanSupplier cancelled) throws IOException {
        CompletableFuture<String> hash = CompletableFuture.supplyAsync(() -> hash(source, offset, size, cancelled), hasher);
        try {
            long done = 0;
            while (done < size) {
                if (cancelled.getAsBoolean()) {
                    throw DepotException.interrupted("cancelled; verified files are kept for next time");
                }
                long n = Math.min(CHUNK, size - done);
                target.put(source, offset + done, n);
                done += n;
                progress.accept(done);
            }
            return hash.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } finally {
            hash.cancel(false);
        }
    }

    private static String hash(Parts source, long offset, long size, BooleanSupplier cancelled) {
        MessageDigest digest = Hashing.newDigest();
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
        try {
            long done = 0;
            while (done < size && !cancelled.getAsBoolean()) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - done));
                int n = source.read(buffer, offset + done);
                if (n <= 0) {
                    throw new IOException("the bundle ended while hashing");
                }
                buffer.flip();
                digest.update(buffer);
                done += n;
            }
            return Hex.encodeHexString(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
