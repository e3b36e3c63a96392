package dev.modeldepot.download;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Sizes;
import java.nio.file.Path;

/**
 * How many bytes one body may bring. A server that sends more than the expected size (the
 * registry's or --size, else its own Content-Length or Content-Range total) is lying: stop at
 * once, discard, exit 3. With no size known at all, --max-size caps it (default: the free space
 * minus {@link Limits#MARGIN}), so an endless body can never fill the disk.
 *
 * @param bytes    the most bytes the file may have
 * @param expected true when the size was announced (exceeding it is an integrity failure)
 */
record BodyLimit(long bytes, boolean expected) {
    static BodyLimit of(long expectedSize, long remoteSize, Limits limits, Path part) {
        if (expectedSize >= 0) {
            return new BodyLimit(expectedSize, true);
        }
        if (remoteSize >= 0) {
            return new BodyLimit(remoteSize, true);
        }
        if (limits.maxSize() >= 0) {
            return new BodyLimit(limits.maxSize(), false);
        }
        long free = FreeSpace.usable(part);
        return new BodyLimit(free < 0 ? Long.MAX_VALUE : Math.max(0, free - Limits.MARGIN), false);
    }

    /** Throws when a body reaching {@code end} bytes would pass the limit; nothing past it is written. */
    void check(long end, String label) {
        if (end <= bytes) {
            return;
        }
        if (expected) {
            throw DepotException.integrity("the server sent more than the expected " + bytes + " bytes for " + label + "; discarded");
        }
        throw DepotException.failed("the server sent more than " + Sizes.human(bytes) + " for " + label
                + " without announcing a size (the --max-size cap, by default the free space minus " + Sizes.human(Limits.MARGIN) + "); discarded");
    }
}
