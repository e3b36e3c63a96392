package dev.modeldepot.registry;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.apache.commons.codec.binary.Hex;

/** Measures size and SHA-256 of a file or URL in one streaming pass, for registry authors. */
public final class FileMeasurer {
    public record Measurement(String name, String url, long size, String sha256) {}

    private final PrintStream progress;

    /** @param progress where to print a progress line every second, or null for none */
    public FileMeasurer(PrintStream progress) {
        this.progress = progress;
    }

    public Measurement measureFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return measure(in, file.getFileName().toString(), null, Files.size(file));
        }
    }

    public Measurement measureUrl(String url, boolean offline) throws IOException, InterruptedException {
        if (offline) {
            throw DepotException.badInput("--offline forbids measuring a remote file");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw DepotException.badInput("malformed URL " + Redact.text(url));
        }
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("User-Agent", Version.USER_AGENT).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw DepotException.failed("cannot fetch " + Redact.url(uri) + ": HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            String path = uri.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            return measure(in, name, Redact.url(uri).contains("?") ? null : uri.toString(), total);
        }
    }

    private Measurement measure(InputStream in, String name, String url, long total) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        long done = 0;
        long lastReport = System.nanoTime();
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            done += n;
            if (progress != null && System.nanoTime() - lastReport > 1_000_000_000L) {
                lastReport = System.nanoTime();
                progress.printf("measuring %s: %s of %s%n", name, Sizes.human(done), Sizes.human(total));
            }
        }
        return new Measurement(name, url, done, Hex.encodeHexString(digest.digest()));
    }
}
