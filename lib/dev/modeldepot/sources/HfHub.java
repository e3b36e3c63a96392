package dev.modeldepot.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves {@code hf://org/repo@revision} the way huggingface_hub does: one call to
 * {@code /api/models/{repo}/revision/{rev}?blobs=true} gives the commit and every file with its
 * size and, for LFS files, its sha256; files are then fetched from {@code /{repo}/resolve/{commit}/{path}}.
 * Small (non-LFS) files have no published sha256, only the git blob sha1: they are fetched here
 * once, checked against that sha1 and their size, and their sha256 computed, so the store can
 * verify and de-duplicate them like any other file.
 */
public final class HfHub {
    /** Above this a non-LFS file is refused: the Hub stores anything large in LFS. */
    static final long MAX_SMALL_FILE = 64L << 20;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final SourceHttp http;
    private final URI endpoint;
    private final String token;

    /** @param token HF_TOKEN or null; sent only to {@code endpoint}'s origin, never to the CDN it redirects to */
    public HfHub(java.net.http.HttpClient client, java.time.Duration timeout, URI endpoint, String token) {
        this.http = new SourceHttp(client, timeout);
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.token = token;
    }

    /** What a revision holds: its commit and the selected files, with sizes and sha256s. */
    public record Resolution(String commit, List<ModelFile> files) {}

    /** The commit a revision points at now (one API call), for "has the branch moved?". */
    public String currentCommit(VariantSource source) throws InterruptedException {
        return info(source).path("sha").asText();
    }

    public Resolution resolve(VariantSource source) throws InterruptedException {
        JsonNode info = info(source);
        String commit = info.path("sha").asText("");
        if (!COMMIT.matcher(commit).matches()) {
            throw DepotException.failed(endpoint.getHost() + " gave no commit for " + source.uri());
        }
        List<ModelFile> files = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (JsonNode sibling : info.path("siblings")) {
            String path = sibling.path("rfilename").asText("");
            all.add(path);
            if (path.isEmpty() || !Globs.selected(path, source.include(), source.exclude())) {
                continue;
            }
            String unsafe = dev.modeldepot.registry.PathRules.whyUnsafe(path);
            if (unsafe != null) {
                throw DepotException.failed(source.repo() + " lists a file with an unsafe path '" + path + "' (" + unsafe + ")");
            }
            URI url = fileUrl(source.repo(), commit, path);
            JsonNode lfs = sibling.path("lfs");
            long size = sibling.path("size").asLong(-1);
            String sha256;
            if (lfs.isObject() && lfs.hasNonNull("sha256")) {
                sha256 = lfs.path("sha256").asText();
                size = lfs.path("size").asLong(size);
            } else {
                sha256 = smallFileSha256(source, path, url, size, sibling.path("blobId").asText(null));
            }
            if (size < 0) {
                throw DepotException.failed(endpoint.getHost() + " gave no size for " + path + " (is ?blobs=true supported?)");
            }
            files.add(new ModelFile(path, url, List.of(), size, sha256, null, Roles.guess(path)));
        }
        if (files.isEmpty()) {
            throw DepotException.badInput("no file of " + source.repo() + "@" + source.revision() + " matches "
                    + describeFilters(source) + " (it has " + (all.isEmpty() ? "no files" : String.join(", ", all.subList(0, Math.min(8, all.size())))
                    + (all.size() > 8 ? ", ..." : "")) + ")");
        }
        return new Resolution(commit, files);
    }

    private JsonNode info(VariantSource source) throws InterruptedException {
        URI api = URI.create(endpoint + "/api/models/" + source.repo() + "/revision/" + encode(source.revision()) + "?blobs=true");
        SourceHttp.Answer a = http.send("GET", api, Map.of("Accept", "application/json"), authorization(), endpoint, 32L << 20);
        String code = a.header("X-Error-Code");
        String page = endpoint + "/" + source.repo();
        if ("GatedRepo".equals(code) || ((a.status() == 401 || a.status() == 403) && code == null && token != null)) {
            throw DepotException.failed(source.repo() + " is gated: accept the licence at " + page + " and set HF_TOKEN");
        }
        if ("RevisionNotFound".equals(code)) {
            throw DepotException.badInput(source.repo() + " has no revision '" + source.revision() + "' on " + endpoint.getHost());
        }
        if ("RepoNotFound".equals(code) || a.status() == 404 || a.status() == 401) {
            throw DepotException.badInput("no repository " + source.repo() + " on " + endpoint.getHost()
                    + (token == null ? " (if it is private or gated, accept the licence at " + page + " and set HF_TOKEN)" : ""));
        }
        if (a.status() == 403) {
            throw DepotException.failed(source.repo() + " is gated: accept the licence at " + page + " and set HF_TOKEN");
        }
        if (a.status() != 200) {
            throw DepotException.failed(endpoint.getHost() + " answered HTTP " + a.status() + " for " + source.uri());
        }
        try {
            return Json.MAPPER.readTree(a.body());
        } catch (IOException e) {
            throw DepotException.failed(endpoint.getHost() + " sent an answer that is not JSON for " + source.uri());
        }
    }

    /** Fetches a small file once: size and git blob sha1 must match what the Hub lists; returns its sha256. */
    private String smallFileSha256(VariantSource source, String path, URI url, long size, String blobId) throws InterruptedException {
        if (size > MAX_SMALL_FILE) {
            throw DepotException.failed(source.repo() + "/" + path + " is " + size + " bytes but not in LFS, so it has no sha256 to check");
        }
        SourceHttp.Answer a = http.send("GET", url, Map.of(), authorization(), endpoint, MAX_SMALL_FILE);
        if (a.status() != 200) {
            throw DepotException.failed("cannot fetch " + source.repo() + "/" + path + ": HTTP " + a.status());
        }
        byte[] bytes = a.body();
        if (size >= 0 && bytes.length != size) {
            throw DepotException.integrity(source.repo() + "/" + path + " has " + bytes.length + " bytes, the Hub lists " + size);
        }
        if (blobId != null && !blobId.equals(gitBlobSha1(bytes))) {
            throw DepotException.integrity(source.repo() + "/" + path + " does not match the git blob sha1 the Hub publishes (" + blobId + ")");
        }
        return HexFormat.of().formatHex(digest("SHA-256").digest(bytes));
    }

    /** Git names a blob by sha1("blob SIZE\0" + bytes): the ETag the Hub gives small files. */
    static String gitBlobSha1(byte[] bytes) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha1.digest(bytes));
    }

    URI fileUrl(String repo, String commit, String path) {
        StringBuilder p = new StringBuilder();
        for (String segment : path.split("/")) {
            p.append('/').append(encode(segment));
        }
        return URI.create(endpoint + "/" + repo + "/resolve/" + commit + p);
    }

    private String authorization() {
        return token == null ? null : "Bearer " + token;
    }

    private static String describeFilters(VariantSource s) {
        List<String> parts = new ArrayList<>();
        s.include().forEach(g -> parts.add("--include " + g));
        s.exclude().forEach(g -> parts.add("--exclude " + g));
        return parts.isEmpty() ? "(no filter)" : String.join(" ", parts);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
