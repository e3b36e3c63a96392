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

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> READ_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--");

    /**
     * Verified blobs are read-only (0444, however they arrived: downloaded, imported or copied from
     * a Hugging Face cache) so that a program opening the readable path cannot alter them.
     */
    static void makeReadOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, READ_ONLY);
        } catch (UnsupportedOperationException | IOException e) {
            file.toFile().setWritable(false, false); // Windows: the read-only attribute
        }
    }

    /**
     * Copies {@code source} to a new file {@code dest} after checking there is room, with
     * FileChannel.transferTo (the kernel copies; no byte passes through the heap).
     */
    static void copy(Path source, Path dest, long size) throws IOException {
        long free = Files.getFileStore(dest.getParent()).getUsableSpace();
        if (free >= 0 && free < size) {
            throw dev.modeldepot.core.DepotException.failed("not enough free space in " + dest.getParent() + " to copy " + source
                    + ": it needs " + dev.modeldepot.core.Sizes.human(size) + " but " + dev.modeldepot.core.Sizes.human(free) + " is free");
        }
        try (var in = java.nio.channels.FileChannel.open(source, java.nio.file.StandardOpenOption.READ);
             var out = java.nio.channels.FileChannel.open(dest, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            long done = 0;
            long total = in.size();
            while (done < total) {
                done += in.transferTo(done, total - done, out);
            }
            out.force(true);
        }
    }

    /** Bytes deleting this file frees: none while another hard link (outside our tree) keeps its inode. */
    static long freedBy(Path file) {
        // No link count on this file system: count its size.
        return dev.modeldepot.core.FileLinks.count(file).orElse(1) > 1 ? 0 : sizeOf(file);
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
