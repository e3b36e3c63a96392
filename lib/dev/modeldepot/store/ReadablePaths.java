package dev.modeldepot.store;

import dev.modeldepot.core.Hashing;
import dev.modeldepot.core.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Whether the path apps open ({@code models/<id>/<variant>/<file>}) really is the verified blob.
 * The blob being sound proves nothing about what an app reads if someone replaced that path by
 * another file or by a symbolic link elsewhere. Accepted: a hard link (same inode), a symbolic
 * link whose real path is the blob's, or a copy that is still what was copied (its recorded
 * stamp), or, when hashing is allowed, whose bytes hash to the expected sha256. Anything else is
 * a damaged link. Status and the linker ask the same question, so a repair always ends in a
 * state the status accepts.
 */
final class ReadablePaths {
    private ReadablePaths() {}

    /** What stands at a readable path: the blob by some link ({@code damage} null), or why it is not the blob. */
    record Finding(LinkKind kind, String damage) {
        boolean ok() {
            return damage == null;
        }

        static Finding damaged(String why) {
            return new Finding(null, why);
        }
    }

    /**
     * Looks at {@code readable} without following a link out of the store and, unless
     * {@code hashCopies}, without reading a byte of it.
     *
     * @param recorded   the file's entry in the variant's document (its link kind and copy stamp), may be null
     * @param sha256     the expected sha256 (a copy is hashed against it); null for unverifiable files
     * @param hashCopies true for a deep check: a copy whose stamp no longer matches is hashed
     */
    static Finding inspect(StoreLayout layout, Path blob, Path readable, FileMeta recorded, String sha256, boolean hashCopies) throws IOException {
        String name = Printable.of(layout.root().relativize(readable).toString());
        BasicFileAttributes seen;
        try {
            seen = Files.readAttributes(readable, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Finding.damaged("nothing at " + name);
        }
        BasicFileAttributes blobAttrs = Files.readAttributes(blob, BasicFileAttributes.class);
        if (seen.isSymbolicLink()) {
            Path real;
            try {
                real = readable.toRealPath();
            } catch (IOException e) {
                return Finding.damaged(name + " is a broken symbolic link");
            }
            if (real.equals(blob.toRealPath())) {
                return new Finding(LinkKind.SYMLINK, null);
            }
            String where = real.startsWith(layout.root().toRealPath()) ? ", not to its blob" : ", outside the store";
            return Finding.damaged(name + " is a symbolic link to " + Printable.of(real.toString()) + where);
        }
        if (!seen.isRegularFile()) {
            return Finding.damaged(name + " is not a file");
        }
        // Same inode: a hard link. Where attributes carry no file key (Windows), ask the file system.
        if (seen.fileKey() != null ? Objects.equals(seen.fileKey(), blobAttrs.fileKey()) : Files.isSameFile(readable, blob)) {
            return new Finding(LinkKind.HARDLINK, null);
        }
        if (seen.size() != blobAttrs.size()) {
            return Finding.damaged(name + " is another file of " + seen.size() + " bytes, not its blob of " + blobAttrs.size());
        }
        if (copyStands(recorded, readable, seen, blobAttrs)) {
            return new Finding(LinkKind.COPY, null);
        }
        if (hashCopies) {
            String want = sha256 != null ? sha256 : Hashing.sha256(blob);
            String actual = Hashing.sha256(readable);
            return actual.equals(want) ? new Finding(LinkKind.COPY, null)
                    : Finding.damaged(name + " is another file of the same size (sha256 " + actual + "), not its blob");
        }
        return Finding.damaged(name + " is not its blob: another file, or a copy changed since it was made"
                + " (--deep hashes it)");
    }

    /**
     * A copy is trusted without hashing while it keeps the size, mtime and inode it had just after
     * it was copied. Documents from before copy stamps existed fall back to the old rule: recorded
     * as a copy, same size, no older than the blob.
     */
    private static boolean copyStands(FileMeta recorded, Path readable, BasicFileAttributes seen, BasicFileAttributes blob) {
        if (recorded == null || !LinkKind.COPY.word().equals(recorded.link())) {
            return false;
        }
        if (recorded.copyStamp() != null) {
            return recorded.copyStamp().stillMatches(readable);
        }
        return seen.lastModifiedTime().compareTo(blob.lastModifiedTime()) >= 0;
    }
}
