package dev.modeldepot.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Sequential little-endian reads over a file through positional reads and a small window, so a
 * structural check touches only the bytes it parses and never loads the whole file.
 */
final class PositionalReader {
    /** A structural problem: the message is the one sentence shown to the user. */
    static final class FormatError extends Exception {
        FormatError(String message) {
            super(message, null, false, false);
        }
    }

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window;
    private long windowStart;
    private long position;

    PositionalReader(FileChannel channel, long size, int windowBytes) {
        this.channel = channel;
        this.size = size;
        this.window = ByteBuffer.allocate(windowBytes).order(ByteOrder.LITTLE_ENDIAN);
        this.window.limit(0);
    }

    /** Reads numbers big-endian from now on (a big-endian GGUF: same layout, other byte order). */
    void bigEndian() {
        window.order(java.nio.ByteOrder.BIG_ENDIAN);
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - position;
    }

    void seek(long newPosition) throws FormatError {
        if (newPosition < 0 || newPosition > size) {
            throw new FormatError("offset " + newPosition + " is outside the file (" + size + " bytes)");
        }
        position = newPosition;
    }

    void skip(long n, String what) throws FormatError {
        require(n, what);
        position += n;
    }

    /** Fails unless n more bytes exist: the message names what was being read. */
    void require(long n, String what) throws FormatError {
        if (n < 0 || n > size - position) {
            throw new FormatError("truncated: " + what + " needs " + n + " bytes at offset " + position
                    + " but the file ends at " + size);
        }
    }

    private ByteBuffer at(int n, String what) throws IOException, FormatError {
        require(n, what);
        long offsetInWindow = position - windowStart;
        if (offsetInWindow < 0 || offsetInWindow + n > window.limit()) {
            window.clear();
            windowStart = position;
            while (window.position() < n) {
                if (channel.read(window, windowStart + window.position()) < 0) {
                    throw new FormatError("truncated while reading " + what);
                }
            }
            window.flip();
            offsetInWindow = 0;
        }
        window.position((int) offsetInWindow);
        position += n;
        return window;
    }

    int u8(String what) throws IOException, FormatError {
        return at(1, what).get() & 0xff;
    }

    int u16(String what) throws IOException, FormatError {
        return at(2, what).getShort() & 0xffff;
    }

    int i32(String what) throws IOException, FormatError {
        return at(4, what).getInt();
    }

    long u32(String what) throws IOException, FormatError {
        return Integer.toUnsignedLong(i32(what));
    }

    long i64(String what) throws IOException, FormatError {
        return at(8, what).getLong();
    }

    /** Reads n bytes (n must be at most the window size). */
    byte[] bytes(int n, String what) throws IOException, FormatError {
        if (n > window.capacity()) {
            require(n, what);
            ByteBuffer big = ByteBuffer.allocate(n);
            while (big.hasRemaining()) {
                if (channel.read(big, position + big.position()) < 0) {
                    throw new FormatError("truncated while reading " + what);
                }
            }
            position += n;
            return big.array();
        }
        byte[] out = new byte[n];
        at(n, what).get(out);
        return out;
    }

    String utf8(int n, String what) throws IOException, FormatError {
        return new String(bytes(n, what), StandardCharsets.UTF_8);
    }

    /** A protobuf base-128 varint (at most 10 bytes). */
    long varint(String what) throws IOException, FormatError {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = u8(what);
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new FormatError("malformed varint in " + what + " at offset " + position);
    }
}
