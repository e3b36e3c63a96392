package dev.modeldepot.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** File chores of the store: read-only blobs and deletes that also work on Windows. */
final class BlobFiles {
    private BlobFiles() {}

    /** Verified blobs are read-only so that a program opening the readable path cannot alter them. */
    static void makeReadOnly(Path file) {
        file.toFile().setWritable(false, false);
    }

    /**
     * Deletes one file. On Unix a read-only file is deletable; on Windows it is not, so only then
     * is the attribute cleared (never needlessly, since a hard-linked blob shares it with the
     * file it came from).
     */
    static boolean delete(Path file) throws IOException {
        try {
            return Files.deleteIfExists(file);
        } catch (AccessDeniedException e) {
            file.toFile().setWritable(true);
            return Files.deleteIfExists(file);
        }
    }

    /** Deletes a folder tree without following symlinks (a symlink to a blob removes only the link). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
