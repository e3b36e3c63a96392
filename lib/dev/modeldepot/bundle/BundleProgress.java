package dev.modeldepot.bundle;

/** Progress of an export: which blob, and bytes done of the whole bundle. */
@FunctionalInterface
public interface BundleProgress {
    BundleProgress NONE = (name, done, total) -> { };

    void update(String name, long bytesDone, long bytesTotal);
}
