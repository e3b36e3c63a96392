package dev.modeldepot.bundle;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.registry.Registry;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An opened bundle: a folder, a tar, or a tar's split parts. A tar is indexed by reading its
 * headers only (the data is skipped), then each blob is read in place: nothing is unpacked to a
 * temporary copy.
 */
public final class Bundle implements Closeable {
    private static final long MAX_MANIFEST = 16L << 20;
    private static final int MAX_ENTRIES = 100_000;

    /** Where one blob's bytes are. */
    record Entry(String name, Parts parts, long offset, long size) {}

    private final String where;
    private final BundleManifest manifest;
    private final Registry registry;
    private final Map<String, Entry> byName;
    private final List<Parts> open;

    private Bundle(String where, BundleManifest manifest, Map<String, Entry> byName, List<Parts> open) {
        this.where = where;
        this.manifest = manifest;
        this.byName = byName;
        this.open = open;
        this.registry = manifest.registry("the manifest of bundle " + where);
    }

    public static Bundle open(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return openFolder(path);
            }
            return openTar(Parts.discover(path));
        } catch (IOException e) {
            throw DepotException.badInput("cannot read bundle " + path + ": " + e.getMessage());
        }
    }

    public Registry registry() {
        return registry;
    }

    public String where() {
        return where;
    }

    BundleManifest manifest() {
        return manifest;
    }

    /** The blob with this content, or null when the bundle does not carry it. */
    Entry entry(String sha256) {
        BundleManifest.Blob b = manifest.blob(sha256);
        return b == null ? null : byName.get(b.name());
    }

    private static Bundle openFolder(Path dir) throws IOException {
        Path manifestFile = dir.resolve(BundleManifest.FILE);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            throw DepotException.badInput(dir + " is not a bundle (no " + BundleManifest.FILE + ")");
        }
        if (Files.size(manifestFile) > MAX_MANIFEST) {
            throw Tar.bad(manifestFile + " is larger than " + (MAX_MANIFEST >> 20) + " MB");
        }
        BundleManifest manifest = BundleManifest.parse(Files.readString(manifestFile), manifestFile.toString());
        Path root = dir.toRealPath();
        Map<String, Entry> byName = new HashMap<>();
        List<Parts> open = new ArrayList<>();
        for (BundleManifest.Blob b : manifest.blobs()) {
            Path file = dir.resolve(b.name());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw Tar.bad(dir + " lacks " + b.name() + " (or it is not a regular file)");
            }
            if (!file.toRealPath().startsWith(root)) {
                throw Tar.bad(b.name() + " leads outside " + dir + " through a link");
            }
            Parts parts = Parts.of(file);
            open.add(parts);
            byName.put(b.name(), new Entry(b.name(), parts, 0, parts.length()));
        }
        return new Bundle(dir.toString(), manifest, byName, open);
    }

    private static Bundle openTar(Parts parts) throws IOException {
        String where = parts.describe();
        Map<String, Entry> byName = new HashMap<>();
        long pos = 0;
        String paxPath = null;
        Long paxSize = null;
        boolean ended = false;
        ByteBuffer block = ByteBuffer.allocate(Tar.BLOCK);
        while (pos + Tar.BLOCK <= parts.length()) {
            block.clear();
            parts.read(block, pos);
            block.flip();
            Tar.Header h = Tar.parse(block, where + " at byte " + pos);
            pos += Tar.BLOCK;
            if (h.end()) {
                ended = true;
                break;
            }
            long size = paxSize != null ? paxSize : h.size();
            if (size < 0 || pos + size > parts.length()) {
                throw truncated(parts);
            }
            switch (h.type()) {
                case 'x' -> {
                    if (size > 1 << 20) {
                        throw Tar.bad(where + " has an oversized pax header");
                    }
                    ByteBuffer data = ByteBuffer.allocate((int) size);
                    parts.read(data, pos);
                    String[] ps = Tar.paxPathAndSize(data.array(), where);
                    paxPath = ps[0];
                    paxSize = ps[1] == null ? null : parseSize(ps[1], where);
                    pos += Tar.padded(size);
                    continue;
                }
                case '0', '7' -> {
                    String name = BundleNames.check(paxPath != null ? paxPath : h.name(), where);
                    if (byName.size() >= MAX_ENTRIES) {
                        throw Tar.bad(where + " has more than " + MAX_ENTRIES + " entries");
                    }
                    byName.put(name, new Entry(name, parts, pos, size));
                }
                case '5', 'g' -> { }
                default -> throw Tar.bad(where + " holds " + h.name() + " of tar type '" + h.type() + "'; bundles hold regular files only");
            }
            pos += Tar.padded(size);
            paxPath = null;
            paxSize = null;
        }
        if (!ended) {
            throw truncated(parts);
        }
        Entry manifestEntry = byName.get(BundleManifest.FILE);
        if (manifestEntry == null) {
            throw Tar.bad(where + " has no " + BundleManifest.FILE);
        }
        if (manifestEntry.size() > MAX_MANIFEST) {
            throw Tar.bad("the manifest of " + where + " is larger than " + (MAX_MANIFEST >> 20) + " MB");
        }
        ByteBuffer text = ByteBuffer.allocate((int) manifestEntry.size());
        parts.read(text, manifestEntry.offset());
        BundleManifest manifest = BundleManifest.parse(new String(text.array(), StandardCharsets.UTF_8), where + "/" + BundleManifest.FILE);
        for (BundleManifest.Blob b : manifest.blobs()) {
            Entry e = byName.get(b.name());
            if (e == null || e.size() != b.size()) {
                throw Tar.bad(where + " lacks " + b.name() + " (or it has the wrong size)");
            }
        }
        return new Bundle(where, manifest, byName, List.of(parts));
    }

    private static DepotException truncated(Parts parts) {
        return DepotException.badInput("bundle " + parts.describe() + " ends early: it is truncated, or a part after "
                + parts.lastPart() + " is missing");
    }

    private static long parseSize(String s, String where) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw Tar.bad(where + " has a malformed pax size");
        }
    }

    @Override
    public void close() throws IOException {
        for (Parts p : open) {
            p.close();
        }
    }
}
