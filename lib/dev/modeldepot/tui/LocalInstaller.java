package dev.modeldepot.tui;

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
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * A small single-connection installer (resume with Range, SHA-256 before the file becomes
 * visible) so the dashboard's demo runs end to end without the download engine. The queue only
 * sees the {@link VariantInstaller} contract, so the engine-backed installer replaces it at merge.
 */
public final class LocalInstaller implements VariantInstaller {
    static final String APP = "model-dashboard";
    private static final long PROGRESS_EVERY_MILLIS = 200;

    private final Registry registry;
    private final LocalStore store;
    private final HttpClient http;
    private final Clock clock;

    public LocalInstaller(Registry registry, LocalStore store, HttpClient http, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public void install(String key, DownloadListener listener, Cancellation cancellation) throws Exception {
        VariantRef ref = registry.resolve(key);
        for (ModelFile f : ref.variant().files()) {
            listener.onEvent(new DownloadEvent.Queued(label(ref, f), f.size()));
        }
        for (ModelFile f : ref.variant().files()) {
            Path target = store.finalPath(ref, f);
            if (store.record(ref).files().containsKey(f.path()) && LocalStore.sizeOf(target) == f.size()) {
                listener.onEvent(new DownloadEvent.Completed(label(ref, f), target, f.size()));
                continue;
            }
            fetch(ref, f, listener, cancellation);
        }
    }

    private static String label(VariantRef ref, ModelFile f) {
        return ref.key() + "/" + f.path();
    }

    private void fetch(VariantRef ref, ModelFile f, DownloadListener listener, Cancellation cancel) throws Exception {
        String label = label(ref, f);
        Path part = store.partialPath(ref, f);
        Files.createDirectories(part.getParent());
        long have = Math.max(0, LocalStore.sizeOf(part));
        if (have > f.size()) {
            Files.delete(part);
            have = 0;
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (have > 0) {
            hashInto(part, md);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(f.url()).timeout(Duration.ofSeconds(30))
                .header("User-Agent", Version.USER_AGENT);
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            String range = response.headers().firstValue("Content-Range").orElse("");
            if (status == 200 && have > 0) {
                // The server ignored the Range: start over rather than append the whole body.
                have = 0;
                md = MessageDigest.getInstance("SHA-256");
            } else if (status == 206 && !range.startsWith("bytes " + have + "-")) {
                throw DepotException.failed(label + ": the server answered a resume with the wrong range");
            } else if (status != 200 && status != 206) {
                throw DepotException.failed(label + ": HTTP " + status + " from " + Redact.url(f.url()));
            }
            listener.onEvent(new DownloadEvent.Started(label, have, f.size(), 1));
            have = copy(in, part, have, label, f, md, listener, cancel);
        }
        if (have != f.size()) {
            throw DepotException.failed(label + ": the server sent " + have + " of " + f.size() + " bytes");
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (f.sha256() != null && !f.sha256().equals(actual)) {
            AtomicFiles.move(part, store.quarantinePath(ref, f));
            String why = f.path() + " does not match its SHA-256 (expected " + f.sha256().substring(0, 12)
                    + "…, got " + actual.substring(0, 12) + "…)";
            store.recordCorrupt(ref, f, why);
            listener.onEvent(new DownloadEvent.Failed(label, 3, why));
            throw DepotException.integrity(why);
        }
        listener.onEvent(new DownloadEvent.Verified(label, actual, f.size()));
        Path target = store.finalPath(ref, f);
        Files.createDirectories(target.getParent());
        AtomicFiles.move(part, target);
        store.recordVerified(ref, f, APP);
        listener.onEvent(new DownloadEvent.Completed(label, target, f.size()));
    }

    private long copy(InputStream in, Path part, long have, String label, ModelFile f, MessageDigest md, DownloadListener listener,
                      Cancellation cancel) throws IOException {
        StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        long lastReport = clock.millis();
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                have += n;
                if (cancel.isCancelled()) {
                    throw DepotException.interrupted(f.path() + ": stopped; the partial file is kept");
                }
                if (clock.millis() - lastReport >= PROGRESS_EVERY_MILLIS) {
                    lastReport = clock.millis();
                    listener.onEvent(new DownloadEvent.Progress(label, have, f.size(), -1, -1));
                }
            }
        }
        listener.onEvent(new DownloadEvent.Progress(label, have, f.size(), -1, -1));
        return have;
    }

    private static void hashInto(Path file, MessageDigest md) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }
}
