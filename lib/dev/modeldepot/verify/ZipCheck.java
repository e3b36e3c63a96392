package dev.modeldepot.verify;

import dev.modeldepot.verify.PositionalReader.FormatError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Zip-based PyTorch checkpoints (.pt, .pth, and .bin/.ckpt written by torch.save since 1.6):
 * the end-of-central-directory record (zip64 too) is found, and every central directory entry
 * agrees with its local header, with its data before the central directory. A truncated archive
 * loses its central directory, so it fails here.
 */
final class ZipCheck {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int MAX_ENTRIES = 1 << 20;

    private ZipCheck() {}

    static boolean looksLikeZip(FileChannel ch, long size) throws IOException {
        if (size < 4) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(b, 0);
        return b.flip().remaining() == 4 && b.getInt() == LOCAL;
    }

    static String check(FileChannel ch, long size) throws IOException, FormatError {
        long eocd = findEocd(ch, size);
        PositionalReader r = new PositionalReader(ch, size, 1 << 16);
        r.seek(eocd + 10);
        long entries = r.u16("entry count");
        long cdSize = r.u32("central directory size");
        long cdOffset = r.u32("central directory offset");
        long cdEnd = eocd;
        if (entries == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            if (eocd < 20) {
                throw new FormatError("zip64 end record expected but missing");
            }
            r.seek(eocd - 20);
            if (r.i32("zip64 locator") != ZIP64_LOCATOR) {
                throw new FormatError("zip64 locator missing before the end record");
            }
            r.skip(4, "zip64 locator");
            long z64 = r.i64("zip64 end offset");
            r.seek(Math.min(Math.max(z64, 0), size));
            if (r.i32("zip64 end record") != ZIP64_EOCD) {
                throw new FormatError("zip64 end record not at offset " + z64);
            }
            r.skip(8 + 2 + 2 + 4 + 4 + 8, "zip64 end record");
            entries = r.i64("zip64 entry count");
            cdSize = r.i64("zip64 central directory size");
            cdOffset = r.i64("zip64 central directory offset");
            cdEnd = z64;
        }
        if (entries < 0 || entries > MAX_ENTRIES || cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > cdEnd) {
            throw new FormatError("the central directory (" + cdSize + " bytes at " + cdOffset + ") does not fit before its end record at " + cdEnd);
        }
        r.seek(cdOffset);
        // A second reader for the local headers: they follow each other, so its window serves many.
        PositionalReader locals = new PositionalReader(ch, size, 1 << 16);
        boolean pickle = false;
        for (long i = 0; i < entries; i++) {
            long at = r.position();
            if (r.i32("central entry #" + i) != CENTRAL) {
                throw new FormatError("central directory entry #" + i + " is damaged (offset " + at + ")");
            }
            r.skip(16, "central entry");
            long compressed = r.u32("compressed size");
            long uncompressed = r.u32("uncompressed size");
            int nameLength = r.u16("name length");
            int extraLength = r.u16("extra length");
            int commentLength = r.u16("comment length");
            r.skip(8, "central entry");
            long local = r.u32("local header offset");
            byte[] name = r.bytes(nameLength, "entry name");
            long extraEnd = r.position() + extraLength;
            while (r.position() + 4 <= extraEnd) {
                int id = r.u16("extra id");
                int len = r.u16("extra length");
                long next = r.position() + len;
                if (id == 1) {
                    if (uncompressed == 0xffffffffL) {
                        uncompressed = r.i64("zip64 size");
                    }
                    if (compressed == 0xffffffffL) {
                        compressed = r.i64("zip64 compressed size");
                    }
                    if (local == 0xffffffffL) {
                        local = r.i64("zip64 local offset");
                    }
                }
                r.seek(Math.min(next, extraEnd));
            }
            r.seek(extraEnd);
            r.skip(commentLength, "entry comment");
            if (r.position() > cdOffset + cdSize) {
                throw new FormatError("central directory entries run past its declared size");
            }
            checkLocal(locals, name, local, compressed, cdOffset);
            String entryName = new String(name, java.nio.charset.StandardCharsets.UTF_8);
            pickle |= entryName.endsWith("data.pkl");
        }
        if (r.position() != cdOffset + cdSize) {
            throw new FormatError("the central directory holds more than its " + entries + " declared entries");
        }
        return "zip archive, " + entries + " entries consistent with their local headers" + (pickle ? " (PyTorch checkpoint)" : "");
    }

    private static void checkLocal(PositionalReader r, byte[] name, long offset, long compressed, long cdOffset)
            throws IOException, FormatError {
        String shown = new String(name, java.nio.charset.StandardCharsets.UTF_8);
        if (offset < 0 || offset + 30 > cdOffset) {
            throw new FormatError("entry " + shown + " points outside the archive data (offset " + offset + ")");
        }
        r.seek(offset);
        if (r.i32("local header of " + shown) != LOCAL) {
            throw new FormatError("the local header of entry " + shown + " is damaged (offset " + offset + ")");
        }
        r.skip(22, "local header");
        int nameLength = r.u16("name length");
        int extraLength = r.u16("extra length");
        if (!Arrays.equals(name, r.bytes(nameLength, "local name"))) {
            throw new FormatError("entry " + shown + " has a different name in its local header");
        }
        long dataEnd = offset + 30 + nameLength + extraLength + compressed;
        if (dataEnd > cdOffset) {
            throw new FormatError("the data of entry " + shown + " runs into the central directory");
        }
    }

    /** The end-of-central-directory record is in the last 64 KiB + 22 bytes; searched backwards. */
    private static long findEocd(FileChannel ch, long size) throws IOException, FormatError {
        int tail = (int) Math.min(size, 0xffff + 22);
        if (tail < 22) {
            throw new FormatError("too short to be a zip archive");
        }
        ByteBuffer b = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
        long start = size - tail;
        while (b.hasRemaining()) {
            if (ch.read(b, start + b.position()) < 0) {
                break;
            }
        }
        for (int i = tail - 22; i >= 0; i--) {
            if (b.getInt(i) == EOCD && i + 22 + (b.getShort(i + 20) & 0xffff) == tail) {
                return start + i;
            }
        }
        for (int i = tail - 22; i >= 0; i--) {
            if (b.getInt(i) == EOCD) {
                return start + i;
            }
        }
        throw new FormatError("no end of central directory record (truncated or not a zip archive)");
    }
}
