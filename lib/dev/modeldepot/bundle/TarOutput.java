package dev.modeldepot.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** A tar being written, whole or in parts of at most {@code splitBytes} (0: one file). */
final class TarOutput implements Closeable, HashingCopy.Sink {
    private final Path first;
    private final long splitBytes;
    private final List<Path> written = new ArrayList<>();
    private FileChannel current;
    private long inCurrent;

    TarOutput(Path file, long splitBytes) {
        this.first = file;
        this.splitBytes = splitBytes;
    }

    List<Path> files() {
        return List.copyOf(written);
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            FileChannel ch = room();
            int n = (int) Math.min(buf.remaining(), roomLeft());
            ByteBuffer slice = buf.slice().limit(n);
            while (slice.hasRemaining()) {
                ch.write(slice);
            }
            buf.position(buf.position() + n);
            inCurrent += n;
        }
    }

    @Override
    public void put(Parts source, long position, long count) throws IOException {
        while (count > 0) {
            FileChannel ch = room();
            long n = Math.min(count, roomLeft());
            source.transferTo(position, n, ch);
            position += n;
            count -= n;
            inCurrent += n;
        }
    }

    void pad(long size) throws IOException {
        long pad = Tar.padded(size) - size;
        if (pad > 0) {
            write(new byte[(int) pad]);
        }
    }

    private long roomLeft() {
        return splitBytes <= 0 ? Long.MAX_VALUE : splitBytes - inCurrent;
    }

    private FileChannel room() throws IOException {
        if (current == null || roomLeft() == 0) {
            if (current != null) {
                current.close();
            }
            Path next = splitBytes <= 0 ? first : first.resolveSibling(first.getFileName() + ".part" + (written.size() + 1));
            current = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            written.add(next);
            inCurrent = 0;
        }
        return current;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
