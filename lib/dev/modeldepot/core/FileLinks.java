package dev.modeldepot.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalInt;

/** How many names a file's inode has (its hard links), where the file system says. */
public final class FileLinks {
    private FileLinks() {}

    /** Empty on a file system without a unix view (Windows) or when it cannot be read. */
    public static OptionalInt count(Path file) {
        try {
            Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return links instanceof Integer n ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return OptionalInt.empty();
        }
    }
}
