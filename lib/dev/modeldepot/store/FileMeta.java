package dev.modeldepot.store;

import dev.modeldepot.core.Stamp;

/**
 * One file of a stored variant, as recorded in its metadata document.
 *
 * @param url        where it came from, redacted (no query, no user-info); null when imported
 * @param unverified true when the registry gives no sha256, so only the size could be checked
 * @param link       how the readable path points at the blob: hardlink, symlink or copy
 * @param stamp      what the last full hash saw, so unchanged blobs are not re-hashed
 * @param copyStamp  when the readable path is a copy: its size, mtime and inode just after it was
 *                   copied from the verified blob, so a status check knows it unchanged without
 *                   hashing it (null for links, and in documents written before it existed)
 */
public record FileMeta(String path, String url, long size, String sha256, String etag, String lastModified,
                       String format, String role, boolean unverified, String link, Stamp stamp, Stamp copyStamp) {
    public FileMeta(String path, String url, long size, String sha256, String etag, String lastModified,
                    String format, String role, boolean unverified, String link, Stamp stamp) {
        this(path, url, size, sha256, etag, lastModified, format, role, unverified, link, stamp, null);
    }

    public FileMeta withStamp(Stamp newStamp) {
        return new FileMeta(path, url, size, sha256, etag, lastModified, format, role, unverified, link, newStamp, copyStamp);
    }
}
