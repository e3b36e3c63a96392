package dev.modeldepot.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Writes bytes into the partial file at a position. A seam so tests can simulate a full disk where no small file system can be mounted. */
@FunctionalInterface
public interface PartialWriter {
    PartialWriter DIRECT = (channel, buffer, position) -> {
        long p = position;
        while (buffer.hasRemaining()) {
            p += channel.write(buffer, p);
        }
    };

    void write(FileChannel channel, ByteBuffer buffer, long position) throws IOException;
}
