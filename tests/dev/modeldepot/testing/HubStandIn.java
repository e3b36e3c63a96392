package dev.modeldepot.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A Hugging Face Hub on 127.0.0.1 answering what huggingface_hub relies on:
 * {@code GET /api/models/{repo}/revision/{rev}?blobs=true} (sha, siblings with rfilename, size,
 * blobId and lfs.sha256), and {@code /{repo}/resolve/{rev}/{path}}: small files inline with their
 * git blob sha1 as ETag; LFS files as a 302 to a CDN on another origin (a {@link FaultOrigin})
 * with X-Repo-Commit, X-Linked-Etag and X-Linked-Size. Errors carry X-Error-Code (RepoNotFound,
 * RevisionNotFound, GatedRepo) as the real Hub does. Every request is recorded with its headers.
 */
public final class HubStandIn implements AutoCloseable {
    /** Files at one commit: path to bytes, and which of them live in LFS. */
    public record Commit(String sha, Map<String, byte[]> files, java.util.Set<String> lfs) {}

    public record Request(String method, String path, String authorization) {}

    private final HttpServer server;
    public final FaultOrigin cdn;
    private final Map<String, Map<String, Commit>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> gated = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> tampered = new ConcurrentHashMap<>();

    private HubStandIn(HttpServer server, FaultOrigin cdn) {
        this.server = server;
        this.cdn = cdn;
    }

    public static HubStandIn start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HubStandIn hub = new HubStandIn(s, FaultOrigin.start());
        s.createContext("/", hub::handle);
        s.setExecutor(Executors.newFixedThreadPool(4));
        s.start();
        return hub;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Publishes files at a commit and points {@code revision} (a branch) at it; LFS files also go to the CDN. */
    public Commit publish(String repo, String revision, Map<String, byte[]> files, java.util.Set<String> lfs) {
        String sha = sha1Hex((repo + revision + files.keySet() + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
        Commit c = new Commit(sha, new LinkedHashMap<>(files), lfs);
        Map<String, Commit> revs = repos.computeIfAbsent(repo, k -> new ConcurrentHashMap<>());
        revs.put(revision, c);
        revs.put(sha, c);
        lfs.forEach(p -> cdn.serve("/blobs/" + FaultOrigin.sha256(files.get(p)), files.get(p)));
        return c;
    }

    /** Only this token may read the repo; others get 403 GatedRepo (401 without any token). */
    public void gate(String repo, String token) {
        gated.put(repo, token);
    }

    /** From now on /resolve/ serves {@code bytes} for this file while the API still lists the original. */
    public void tamper(String repo, String path, byte[] bytes) {
        tampered.put(repo + "/" + path, bytes);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public static String gitBlobSha1(byte[] bytes) {
        byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + bytes.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(bytes, 0, all, header.length, bytes.length);
        return sha1Hex(all);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = ex.getRequestURI().getRawPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(ex.getRequestMethod(), raw, auth));
            String[] p = raw.substring(1).split("/");
            if (p.length >= 6 && p[0].equals("api") && p[1].equals("models") && p[4].equals("revision")) {
                String repo = p[2] + "/" + p[3];
                String rev = URLDecoder.decode(String.join("/", List.of(p).subList(5, p.length)), StandardCharsets.UTF_8);
                Commit c = lookup(ex, repo, rev, auth);
                if (c != null) {
                    send(ex, 200, Json.MAPPER.writeValueAsBytes(info(repo, c)), Map.of("Content-Type", "application/json"));
                }
                return;
            }
            if (p.length >= 5 && p[2].equals("resolve")) {
                String repo = p[0] + "/" + p[1];
                String rev = URLDecoder.decode(p[3], StandardCharsets.UTF_8);
                String path = URLDecoder.decode(String.join("/", List.of(p).subList(4, p.length)), StandardCharsets.UTF_8);
                Commit c = lookup(ex, repo, rev, auth);
                if (c == null) {
                    return;
                }
                byte[] body = tampered.getOrDefault(repo + "/" + path, c.files().get(path));
                if (body == null) {
                    send(ex, 404, new byte[0], Map.of("X-Error-Code", "EntryNotFound"));
                    return;
                }
                Map<String, String> h = new LinkedHashMap<>();
                h.put("X-Repo-Commit", c.sha());
                if (c.lfs().contains(path)) {
                    String sha256 = FaultOrigin.sha256(body);
                    h.put("X-Linked-Etag", "\"" + sha256 + "\"");
                    h.put("X-Linked-Size", String.valueOf(body.length));
                    h.put("ETag", "\"" + gitBlobSha1(body) + "\"");
                    h.put("Location", cdn.url("/blobs/" + sha256) + "?X-Amz-Signature=cdnsecret");
                    send(ex, 302, new byte[0], h);
                } else {
                    h.put("ETag", "\"" + gitBlobSha1(body) + "\"");
                    send(ex, 200, ex.getRequestMethod().equals("HEAD") ? null : body, h);
                }
                return;
            }
            send(ex, 404, new byte[0], Map.of());
        }
    }

    private Commit lookup(HttpExchange ex, String repo, String rev, String auth) throws IOException {
        Map<String, Commit> revs = repos.get(repo);
        if (revs == null) {
            send(ex, 401, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8), Map.of("X-Error-Code", "RepoNotFound"));
            return null;
        }
        String token = gated.get(repo);
        if (token != null && !("Bearer " + token).equals(auth)) {
            send(ex, auth == null ? 401 : 403, "{\"error\":\"gated\"}".getBytes(StandardCharsets.UTF_8), Map.of("X-Error-Code", "GatedRepo"));
            return null;
        }
        Commit c = revs.get(rev);
        if (c == null) {
            send(ex, 404, "{\"error\":\"Invalid rev id\"}".getBytes(StandardCharsets.UTF_8), Map.of("X-Error-Code", "RevisionNotFound"));
        }
        return c;
    }

    private static Map<String, Object> info(String repo, Commit c) {
        List<Map<String, Object>> siblings = new ArrayList<>();
        c.files().forEach((path, bytes) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("rfilename", path);
            s.put("blobId", gitBlobSha1(bytes));
            s.put("size", bytes.length);
            if (c.lfs().contains(path)) {
                s.put("lfs", Map.of("sha256", FaultOrigin.sha256(bytes), "size", bytes.length, "pointerSize", 134));
            }
            siblings.add(s);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_id", "0123");
        out.put("id", repo);
        out.put("sha", c.sha());
        out.put("siblings", siblings);
        return out;
    }

    private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        if (body == null || ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static String sha1Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        cdn.close();
    }
}
