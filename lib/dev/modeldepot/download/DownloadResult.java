package dev.modeldepot.download;

import java.nio.file.Path;

/**
 * A verified file at its final path.
 *
 * @param bytesFetched bytes transferred over the network by this call (0 when already complete)
 */
public record DownloadResult(Path path, long size, String sha256, String etag, String lastModified, long bytesFetched) {}
