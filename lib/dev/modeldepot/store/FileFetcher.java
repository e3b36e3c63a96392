package dev.modeldepot.store;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;

/**
 * How the store gets a file it does not have. The contract is the download engine's: put the
 * partial and its state in {@code request.partialDir()}, and make {@code request.target()} appear
 * only once its size and sha256 match. The store holds its lock on the blob around every call
 * (one lock per blob), so a fetcher takes no lock of its own on the target:
 * {@code engine::downloadUnderCallersLock} fits, which {@link Fetchers#of} gives.
 */
@FunctionalInterface
public interface FileFetcher {
    /** Fetches nothing: for operations that must only use what is already on disk. */
    FileFetcher NONE = (request, listener, cancel) -> {
        throw new Unavailable(request.label());
    };

    /** This fetcher has no source for the file: the install leaves it missing and goes on. */
    final class Unavailable extends dev.modeldepot.core.DepotException {
        public Unavailable(String label) {
            super(dev.modeldepot.core.ExitCode.FAILED, label + " is not in the store and this operation does not download");
        }
    }

    /** Returns the engine's result (ETag and Last-Modified are recorded from it); may return null. */
    DownloadResult fetch(DownloadRequest request, DownloadListener listener, Cancellation cancel) throws Exception;
}
