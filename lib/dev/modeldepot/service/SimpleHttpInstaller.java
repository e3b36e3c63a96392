package dev.modeldepot.service;

import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.Version;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.queue.VariantInstaller;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.util.AtomicFiles;
import dev.modeldepot.util.Redact;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A deliberately plain installer until the store and the multi-connection engine are merged in:
 * one sequential GET per file into a hidden ".name.part" beside the target, resumed with a Range
 * request when a partial is there, sha256-checked, then renamed into place. A partial survives
 * pause, shutdown and kill -9; a partial that does not hash right is discarded.
 */
public final class SimpleHttpInstaller implements VariantInstaller {
    private static final int BUFFER = 64 * 1024;
    private static final long PROGRESS_EVERY = 256 * 1024;

    private final Registry registry;
    private final Path storeRoot;
    private final HttpClient http;

    public SimpleHttpInstaller(Registry registry, Path storeRoot, HttpClient http) {
        this.registry = registry;
        this.storeRoot = storeRoot;
        this.http = http;
    }

    @Override
    public void install(String key, DownloadListener listener, Cancellation cancellation) throws Exception {
        VariantRef ref = registry.resolve(key);
        Path dir = FolderStoreView.variantDir(storeRoot, ref);
        for (ModelFile f : ref.variant().files()) {
            listener.onEvent(new DownloadEvent.Queued(label(ref, f), f.size()));
        }
        for (ModelFile f : ref.variant().files()) {
            String label = label(ref, f);
            try {
                fetch(f, label, dir.resolve(f.path()), listener, cancellation);
            } catch (DepotException e) {
                if (!cancellation.isCancelled()) {
                    listener.onEvent(new DownloadEvent.Failed(label, e.exitCode().code, e.getMessage()));
                }
                throw e;
            }
        }
    }

    private static String label(VariantRef ref, ModelFile f) {
        return ref.key() + "/" + f.path();
    }

    private void fetch(ModelFile f, String label, Path target, DownloadListener listener, Cancellation cancel)
            throws IOException, InterruptedException {
        if (Files.isRegularFile(target) && Files.size(target) == f.size()) {
            listener.onEvent(new DownloadEvent.Completed(label, target, f.size()));
            return;
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > f.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have < f.size()) {
            transfer(f, label, part, have, listener, cancel);
        }
        if (Files.size(part) != f.size()) {
            throw DepotException.failed(label + ": the server sent " + Files.size(part) + " bytes, the registry says " + f.size());
        }
        if (f.sha256() != null) {
            String actual = sha256(part);
            if (!actual.equals(f.sha256())) {
                Files.deleteIfExists(part);
                throw DepotException.integrity(label + ": sha256 mismatch (expected " + f.sha256() + ", got " + actual
                        + "); the download was discarded");
            }
            listener.onEvent(new DownloadEvent.Verified(label, actual, f.size()));
        }
        AtomicFiles.move(part, target);
        listener.onEvent(new DownloadEvent.Completed(label, target, f.size()));
    }

    /** Tries the URL, then each mirror; the first that answers 200/206 is used. */
    private void transfer(ModelFile f, String label, Path part, long have, DownloadListener listener, Cancellation cancel)
            throws IOException, InterruptedException {
        List<URI> urls = new ArrayList<>();
        urls.add(f.url());
        urls.addAll(f.mirrors());
        String lastProblem = "no URL";
        for (URI url : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("User-Agent", Version.USER_AGENT);
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                lastProblem = Redact.url(url) + ": " + Redact.text(String.valueOf(e.getMessage()));
                continue;
            }
            int code = response.statusCode();
            boolean resumed = code == 206 && response.headers().firstValue("Content-Range").orElse("").startsWith("bytes " + have + "-");
            if (code != 200 && !resumed) {
                response.body().close();
                lastProblem = Redact.url(url) + " answered HTTP " + code;
                continue;
            }
            // A 200 to a ranged request is the whole file again: start the partial over.
            long start = resumed ? have : 0;
            copy(response.body(), part, start, f.size(), label, listener, cancel);
            return;
        }
        throw DepotException.failed(label + ": " + lastProblem);
    }

    private static void copy(InputStream body, Path part, long start, long total, String label, DownloadListener listener,
                             Cancellation cancel) throws IOException {
        listener.onEvent(new DownloadEvent.Started(label, start, total, 1));
        try (InputStream in = body;
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(start);
            out.position(start);
            byte[] buf = new byte[BUFFER];
            long bytes = start;
            long reported = start;
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (cancel.isCancelled()) {
                    throw DepotException.interrupted(label + ": stopped at " + bytes + " bytes; the partial is kept");
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                bytes += n;
                if (bytes - reported >= PROGRESS_EVERY) {
                    listener.onEvent(new DownloadEvent.Progress(label, bytes, total, 0, -1));
                    reported = bytes;
                }
                if (bytes > total) {
                    break;
                }
            }
            out.force(false);
            listener.onEvent(new DownloadEvent.Progress(label, bytes, total, 0, -1));
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
