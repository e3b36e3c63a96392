package dev.modeldepot.store;

import dev.modeldepot.core.DepotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The guard that the store never writes, links or deletes through a symbolic link leading out of
 * its root. The store itself only ever makes symlinks to blobs (readable paths), never symlinked
 * folders; a folder link planted in the tree (say {@code models/m -> /home/me/photos}) would make
 * a delete remove someone else's files, so every path the store computes passes here first.
 */
public final class StorePaths {
    private StorePaths() {}

    /**
     * Returns {@code path} if following it from {@code root} stays inside the store's real folder.
     * Each existing component that is a symbolic link must resolve inside the root; the last one
     * may also be a link to a file (a readable link, which the store replaces or reports but never
     * writes through). Components that do not exist yet are fine: the store creates them as folders.
     *
     * @param root the store root, absolute and normalized
     * @param path absolute, normalized, lexically under {@code root}
     */
    public static Path requireInside(Path root, Path path) {
        if (!path.startsWith(root) || !Files.exists(root)) {
            return path;
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return path;
        }
        Path rel = root.relativize(path);
        Path p = root;
        for (int i = 0; i < rel.getNameCount(); i++) {
            p = p.resolve(rel.getName(i));
            boolean last = i == rel.getNameCount() - 1;
            if (!Files.isSymbolicLink(p)) {
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    return path; // nothing further exists: no link can lead out below here
                }
                continue;
            }
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                if (last) {
                    return path; // a broken readable link: replaced, never followed
                }
                throw refuse(root, p, "a broken symbolic link");
            }
            if (last && !Files.isDirectory(real)) {
                return path;
            }
            if (!real.startsWith(realRoot)) {
                throw refuse(root, p, "a symbolic link to " + real + ", outside the store");
            }
        }
        return path;
    }

    private static DepotException refuse(Path root, Path link, String what) {
        return DepotException.failed("refusing to follow " + root.relativize(link) + " in the store at " + root + ": it is "
                + what + "; remove that link (the store never makes linked folders)");
    }
}
