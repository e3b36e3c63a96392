package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes a readable path point at a blob: a hard link, else a relative symbolic link, else a copy.
 * Windows without developer mode refuses symlinks and FAT/exFAT drives refuse both, so the copy is
 * a real path, not an afterthought. The two link operations are injectable so tests can play a
 * file system that refuses them.
 */
public final class Linker {
    @FunctionalInterface
    public interface Op {
        void make(Path link, Path target) throws IOException;
    }

    private final Op hardLink;
    private final Op symLink;

    public Linker(Op hardLink, Op symLink) {
        this.hardLink = hardLink;
        this.symLink = symLink;
    }

    public static Linker system() {
        return new Linker((link, target) -> Files.createLink(link, target),
                (link, target) -> Files.createSymbolicLink(link, target));
    }

    /** A linker for a file system without hard links or symlinks. */
    public static Linker copyOnly() {
        Op refuse = (link, target) -> {
            throw new UnsupportedOperationException("links not supported");
        };
        return new Linker(refuse, refuse);
    }

    /**
     * Points {@code dest} at {@code blob}, replacing whatever was there (a file, or a symbolic link,
     * which is replaced and never followed). The link is built under a temporary name and renamed,
     * so a reader never sees a half-made copy at {@code dest}. Whether an existing path may stand
     * is the caller's question ({@link ReadablePaths}), so status and repair agree.
     */
    public LinkKind link(Path blob, Path dest) throws IOException {
        Files.createDirectories(dest.getParent());
        Path tmp = dest.resolveSibling("." + dest.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".link");
        try {
            LinkKind kind = make(blob, dest, tmp);
            AtomicFiles.move(tmp, dest);
            return kind;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private LinkKind make(Path blob, Path dest, Path tmp) throws IOException {
        try {
            hardLink.make(tmp, blob);
            return LinkKind.HARDLINK;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Different volume, or a file system without hard links: try the next way.
        }
        try {
            symLink.make(tmp, dest.getParent().relativize(blob));
            return LinkKind.SYMLINK;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Windows without developer mode: fall back to a copy.
        }
        Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
        return LinkKind.COPY;
    }
}
