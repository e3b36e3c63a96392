package dev.modeldepot.sources;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.registry.VariantSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model-store push}: a variant's files as the layers of an OCI artifact, through the
 * distribution API's upload protocol (with the registry's Bearer challenge answered by
 * {@link OciRegistry}). A blob the registry already has (HEAD) is skipped; a small one goes in
 * one request, a big one in chunks, so a proxy's cap on request bodies does not stop it.
 */
final class OciPush {
    private final OciRegistry registry;
    private final SourceHttp http;

    OciPush(OciRegistry registry, SourceHttp http) {
        this.registry = registry;
        this.http = http;
    }

    /**
     * Uploads each blob the registry lacks (HEAD first): one that fits in {@code chunkSize} in a
     * single PUT (POST, then PUT with the digest), a bigger one in chunks (PATCH with
     * Content-Range, then PUT with the digest), streamed from disk. Then PUTs an OCI manifest
     * naming every layer with its title, under the tag.
     */
    OciRegistry.Pushed push(VariantSource target, List<OciRegistry.Blob> blobs, long chunkSize) throws InterruptedException {
        if (target.revision().startsWith("sha256:")) {
            throw DepotException.badInput("push needs a tag (oci://host/name:tag), not a digest");
        }
        if (chunkSize <= 0) {
            throw DepotException.badInput("the chunk size must be positive");
        }
        byte[] config = "{\"format\":\"model-depot\"}".getBytes(StandardCharsets.UTF_8);
        String configSha = OciRegistry.sha256(config);
        int uploaded = 0;
        int skipped = 0;
        List<Map<String, Object>> layers = new ArrayList<>();
        for (OciRegistry.Blob b : blobs) {
            if (!Files.isRegularFile(b.file())) {
                throw DepotException.failed(b.title() + " is not in the store (" + b.file() + "); download it before pushing");
            }
            if (upload(target, b.sha256(), b.size(), b.file(), null, b.title(), chunkSize)) {
                uploaded++;
            } else {
                skipped++;
            }
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("mediaType", b.mediaType());
            layer.put("digest", "sha256:" + b.sha256());
            layer.put("size", b.size());
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(OciRegistry.TITLE, b.title());
            if (b.role() != null) {
                annotations.put("dev.modeldepot.role", b.role());
            }
            layer.put("annotations", annotations);
            layers.add(layer);
        }
        upload(target, configSha, config.length, null, config, "the config", chunkSize);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciRegistry.OCI_MANIFEST);
        manifest.put("config", Map.of("mediaType", "application/vnd.docker.ai.model.config.v0.1+json", "digest", "sha256:" + configSha, "size", config.length));
        manifest.put("layers", layers);
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI url = URI.create(OciRegistry.base(OciRegistry.host(target)) + "/v2/" + OciRegistry.name(target) + "/manifests/" + target.revision());
        SourceHttp.Answer a = registry.send(target, "PUT", url, Map.of("Content-Type", OciRegistry.OCI_MANIFEST), body);
        if (a.status() != 201 && a.status() != 200) {
            throw DepotException.failed(OciRegistry.host(target) + " refused the manifest for " + target.uri() + ": HTTP " + a.status() + " " + OciRegistry.errorCode(a));
        }
        return new OciRegistry.Pushed("sha256:" + OciRegistry.sha256(body), uploaded, skipped);
    }

    /** HEAD the blob; upload it when missing (from {@code file}, or {@code bytes} for the config). True when it was uploaded. */
    private boolean upload(VariantSource target, String sha256, long size, Path file, byte[] bytes, String what, long chunkSize)
            throws InterruptedException {
        URI base = OciRegistry.base(OciRegistry.host(target));
        URI blob = URI.create(base + "/v2/" + OciRegistry.name(target) + "/blobs/sha256:" + sha256);
        if (registry.get(target, blob, "HEAD").status() == 200) {
            return false;
        }
        SourceHttp.Answer start = registry.send(target, "POST", URI.create(base + "/v2/" + OciRegistry.name(target) + "/blobs/uploads/"), Map.of(), new byte[0]);
        String location = start.header("Location");
        if (start.status() == 401 || start.status() == 403) {
            throw DepotException.failed(OciRegistry.host(target) + " refused to let us push to " + OciRegistry.name(target) + " (HTTP " + start.status()
                    + "); give credentials with --token-file or a Docker config login");
        }
        if (start.status() != 202 || location == null) {
            throw DepotException.failed(OciRegistry.host(target) + " did not start an upload of " + what + ": HTTP " + start.status() + " " + OciRegistry.errorCode(start));
        }
        URI at = base.resolve(location);
        BodyPublisher last = BodyPublishers.noBody();
        if (bytes != null) {
            last = BodyPublishers.ofByteArray(bytes);
        } else if (size <= chunkSize) {
            last = slice(file, 0, size);
        } else {
            at = patchChunks(target, at, file, size, what, chunkSize);
        }
        URI put = URI.create(at + (at.getRawQuery() == null ? "?" : "&") + "digest=sha256:" + sha256);
        SourceHttp.Answer done = http.send("PUT", put, Map.of("Content-Type", "application/octet-stream"), last, registry.authorization(), base, 1L << 20);
        if (done.status() != 201) {
            throw DepotException.failed(OciRegistry.host(target) + " refused " + what + ": HTTP " + done.status() + " " + OciRegistry.errorCode(done));
        }
        return true;
    }

    /** The blob's bytes in PATCH requests of {@code chunkSize}, each saying where it starts; returns where the upload continues. */
    private URI patchChunks(VariantSource target, URI at, Path file, long size, String what, long chunkSize) throws InterruptedException {
        URI base = OciRegistry.base(OciRegistry.host(target));
        for (long from = 0; from < size; from += chunkSize) {
            long n = Math.min(chunkSize, size - from);
            Map<String, String> headers = Map.of("Content-Type", "application/octet-stream", "Content-Range", from + "-" + (from + n - 1));
            SourceHttp.Answer a = http.send("PATCH", at, headers, slice(file, from, n), registry.authorization(), base, 1L << 20);
            if (a.status() != 202) {
                throw DepotException.failed(OciRegistry.host(target) + " refused bytes " + from + "-" + (from + n - 1) + " of " + what + ": HTTP " + a.status()
                        + " " + OciRegistry.errorCode(a));
            }
            String next = a.header("Location");
            at = next == null ? at : base.resolve(next);
        }
        return at;
    }

    /** {@code length} bytes of {@code file} from {@code from}, read from disk as the request is sent (a chunk is never held in memory). */
    private static BodyPublisher slice(Path file, long from, long length) {
        return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> {
            try {
                FileChannel channel = FileChannel.open(file).position(from);
                return new FilterInputStream(Channels.newInputStream(channel)) {
                    private long left = length;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = super.read(b, off, (int) Math.min(len, left));
                        left -= Math.max(0, n);
                        return n;
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), length);
    }

}
