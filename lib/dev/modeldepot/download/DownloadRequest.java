package dev.modeldepot.download;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One file to fetch.
 *
 * @param label        what events and messages call it, e.g. "llava:q4_k_m/model.gguf" or the file name
 * @param url          primary URL (may carry a signed query: never shown or saved unredacted)
 * @param mirrors      other URLs with the same bytes, tried when the primary fails
 * @param expectedSize exact size in bytes, or -1 when unknown
 * @param sha256       expected lowercase hex SHA-256, or null when unknown (then only the size is checked)
 * @param target       the final path; nothing appears there before size and hash match
 * @param partialDir   where the partial file and its state live; null means beside the target (hidden names)
 */
public record DownloadRequest(String label, URI url, List<URI> mirrors, long expectedSize, String sha256,
                              Path target, Path partialDir) {
    public DownloadRequest {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    public static DownloadRequest of(URI url, Path target, long expectedSize, String sha256) {
        return new DownloadRequest(target.getFileName().toString(), url, List.of(), expectedSize, sha256, target, null);
    }
}
