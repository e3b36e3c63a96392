package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Hashing;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.commons.codec.binary.Hex;

/**
 * A simple real fetcher for tests, keeping the engine's contract: a plain HTTP GET into a partial
 * file in partialDir, size and sha256 checked, then renamed to the target.
 */
final class HttpFetcher implements FileFetcher {
    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public DownloadResult fetch(DownloadRequest request, DownloadListener listener, Cancellation cancel) throws Exception {
        Path dir = request.partialDir();
        Files.createDirectories(dir);
        Path part = dir.resolve(request.target().getFileName() + ".part");
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(request.url()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw DepotException.failed(request.label() + ": HTTP " + response.statusCode());
        }
        MessageDigest digest = Hashing.newDigest();
        try (InputStream in = response.body(); OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
            in.transferTo(out);
        }
        String sha = Hex.encodeHexString(digest.digest());
        long size = Files.size(part);
        if (size != request.expectedSize() || (request.sha256() != null && !sha.equals(request.sha256()))) {
            Files.delete(part);
            throw DepotException.integrity(request.label() + ": downloaded bytes do not match the registry");
        }
        AtomicFiles.move(part, request.target());
        listener.onEvent(new DownloadEvent.Completed(request.label(), request.target(), size));
        return new DownloadResult(request.target(), size, sha, response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValue("Last-Modified").orElse(null), size);
    }
}
