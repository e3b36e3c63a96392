package dev.modeldepot.bundle;

import dev.modeldepot.core.DepotException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One logical byte stream over a file or its split parts ({@code x.tar.part1}, {@code .part2}, ...),
 * read at positions: a tar split for a FAT32 stick is the same bytes as the whole tar.
 */
final class Parts implements Closeable {
    private static final Pattern PART = Pattern.compile("(.*)\\.part(\\d+)");

    private final List<Path> paths;
    private final List<FileChannel> channels = new ArrayList<>();
    private final long[] starts;
    private final long length;

    private Parts(List<Path> paths) throws IOException {
        this.paths = List.copyOf(paths);
        this.starts = new long[paths.size() + 1];
        long at = 0;
        for (int i = 0; i < paths.size(); i++) {
            FileChannel ch = FileChannel.open(paths.get(i), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            channels.add(ch);
            starts[i] = at;
            at += ch.size();
        }
        starts[paths.size()] = at;
        this.length = at;
    }

    /** A single file (a whole tar, or one blob of a folder bundle). */
    static Parts of(Path file) throws IOException {
        return new Parts(List.of(file));
    }

    /**
     * The parts a user named: {@code x.tar}, {@code x.tar.partN} (any of them), or {@code x.tar}
     * that only exists as parts. A gap in the numbering is a missing part.
     */
    static Parts discover(Path given) throws IOException {
        Matcher m = PART.matcher(given.getFileName().toString());
        Path base = m.matches() ? given.resolveSibling(m.group(1)) : given;
        if (!m.matches() && Files.isRegularFile(given)) {
            return of(given);
        }
        List<Path> parts = new ArrayList<>();
        Path dir = base.toAbsolutePath().getParent();
        String prefix = base.getFileName() + ".part";
        int highest = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.substring(prefix.length()).matches("\\d{1,4}")) {
                    highest = Math.max(highest, Integer.parseInt(n.substring(prefix.length())));
                }
            }
        }
        if (highest == 0) {
            throw DepotException.badInput("no bundle at " + given + " (expected a folder, a .tar or its .part1, .part2, ...)");
        }
        for (int i = 1; i <= highest; i++) {
            Path p = dir.resolve(prefix + i);
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw DepotException.badInput("bundle part " + p + " is missing (found parts up to " + highest + ")");
            }
            parts.add(p);
        }
        return new Parts(parts);
    }

    long length() {
        return length;
    }

    String describe() {
        return paths.size() == 1 ? paths.get(0).toString() : paths.get(0) + " and " + (paths.size() - 1) + " more part(s)";
    }

    String lastPart() {
        return paths.get(paths.size() - 1).toString();
    }

    /** Fills {@code dst} from the logical position; fewer bytes only at the end of the stream. */
    int read(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining() && position < length) {
            int i = partAt(position);
            int n = channels.get(i).read(dst, position - starts[i]);
            if (n <= 0) {
                break;
            }
            total += n;
            position += n;
        }
        return total;
    }

    /** Copies {@code count} bytes from the logical position into {@code target} in the kernel where it can. */
    void transferTo(long position, long count, WritableByteChannel target) throws IOException {
        long end = position + count;
        while (position < end) {
            int i = partAt(position);
            long inPart = Math.min(end, starts[i + 1]) - position;
            long n = channels.get(i).transferTo(position - starts[i], Math.min(inPart, 64L << 20), target);
            if (n <= 0) {
                throw new IOException("the bundle ended while copying from " + paths.get(i));
            }
            position += n;
        }
    }

    private int partAt(long position) {
        for (int i = 0; i < paths.size(); i++) {
            if (position < starts[i + 1]) {
                return i;
            }
        }
        return paths.size() - 1;
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : channels) {
            ch.close();
        }
    }
}
