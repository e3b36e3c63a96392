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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API v2 for model artifacts: a manifest (OCI or Docker media types) whose
 * layers become files (the {@code org.opencontainers.image.title} annotation names them; media
 * types give format and role), each addressed by its sha256 digest, which the engine verifies
 * while downloading and the store de-duplicates on. A 401 with
 * {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} is answered by asking the realm for a
 * token (anonymously, or with the user's credentials) and retrying once.
 */
public final class OciRegistry {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String ACCEPT = String.join(", ", OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST);
    static final String TITLE = "org.opencontainers.image.title";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final SourceHttp http;
    private final Credentials credentials;
    private final java.time.Clock clock;
    private volatile String bearer;
    /** The challenge and reference the bearer was asked for, and when to ask again (half its lifetime): for {@link #freshBearerToken}. */
    private String lastChallenge;
    private VariantSource lastSource;
    private java.time.Instant renewAt;

    /** A user's credentials for one registry host: a token (from --token-file) or user and password (Docker config auths). */
    public record Credentials(String username, String password, String token) {
        public static final Credentials NONE = new Credentials(null, null, null);
    }

    public OciRegistry(java.net.http.HttpClient client, java.time.Duration timeout, Credentials credentials, java.time.Clock clock) {
        this.http = new SourceHttp(client, timeout);
        this.credentials = credentials == null ? Credentials.NONE : credentials;
        this.clock = clock;
        this.bearer = this.credentials.token(); // a registry token is tried as is; a challenge replaces it
    }

    /** What a reference names: the manifest digest and the files of its layers. */
    public record Resolution(String digest, List<ModelFile> files) {}

    /** http for loopback hosts (a local registry has no certificate), https for every other host. */
    public static URI base(String hostAndPort) {
        return URI.create((loopback(hostAndPort) ? "http://" : "https://") + hostAndPort);
    }

    private static boolean loopback(String hostAndPort) {
        String host = hostAndPort.replaceAll(":\\d+$", "").toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    static String host(VariantSource s) {
        return s.repo().substring(0, s.repo().indexOf('/'));
    }

    static String name(VariantSource s) {
        return s.repo().substring(s.repo().indexOf('/') + 1);
    }

    public String currentDigest(VariantSource source) throws InterruptedException {
        return manifest(source).digest;
    }

    public Resolution resolve(VariantSource source) throws InterruptedException {
        Manifest m = manifest(source);
        URI base = base(host(source));
        List<ModelFile> files = new ArrayList<>();
        List<String> all = new ArrayList<>();
        int i = 0;
        for (JsonNode layer : m.json.path("layers")) {
            String digest = layer.path("digest").asText("");
            if (!digest.matches("sha256:[0-9a-f]{64}")) {
                throw DepotException.failed(source.uri() + " has a layer without a sha256 digest ('" + digest + "')");
            }
            String mediaType = layer.path("mediaType").asText("");
            String path = layer.path("annotations").path(TITLE).asText(null);
            if (path == null) {
                path = LayerTypes.defaultName(mediaType, digest, i);
            }
            i++;
            all.add(path);
            if (!Globs.selected(path, source.include(), source.exclude())) {
                continue;
            }
            String unsafe = dev.modeldepot.registry.PathRules.whyUnsafe(path);
            if (unsafe != null) {
                throw DepotException.failed(source.uri() + " names a layer with an unsafe path '" + path + "' (" + unsafe + ")");
            }
            long size = layer.path("size").asLong(-1);
            if (size < 0) {
                throw DepotException.failed(source.uri() + " gives no size for layer " + path);
            }
            URI url = URI.create(base + "/v2/" + name(source) + "/blobs/" + digest);
            files.add(new ModelFile(path, url, List.of(), size, digest.substring(7), LayerTypes.format(mediaType), LayerTypes.role(mediaType, layer, path)));
        }
        if (files.isEmpty()) {
            throw DepotException.badInput("no layer of " + source.uri() + " matches the include/exclude patterns (it has "
                    + (all.isEmpty() ? "no layers" : String.join(", ", all)) + ")");
        }
        return new Resolution(m.digest, files);
    }

    private record Manifest(String digest, JsonNode json) {}

    private Manifest manifest(VariantSource source) throws InterruptedException {
        Manifest m = fetchManifest(source, source.revision());
        String type = m.json.path("mediaType").asText("");
        if (type.equals(OCI_INDEX) || type.equals(DOCKER_LIST) || (m.json.has("manifests") && !m.json.has("layers"))) {
            JsonNode first = m.json.path("manifests").path(0);
            if (first.isMissingNode()) {
                throw DepotException.failed(source.uri() + " is an empty index");
            }
            m = fetchManifest(source, first.path("digest").asText());
        }
        return m;
    }

    private Manifest fetchManifest(VariantSource source, String reference) throws InterruptedException {
        URI url = URI.create(base(host(source)) + "/v2/" + name(source) + "/manifests/" + reference);
        SourceHttp.Answer a = get(source, url, "GET");
        if (a.status() == 404) {
            throw notFound(source, reference, a);
        }
        if (a.status() == 401 || a.status() == 403) {
            throw DepotException.failed(host(source) + " refused access to " + name(source) + " (HTTP " + a.status()
                    + "); give credentials with --token-file or a Docker config login");
        }
        if (a.status() != 200) {
            throw DepotException.failed(host(source) + " answered HTTP " + a.status() + " for the manifest of " + source.uri());
        }
        String actual = "sha256:" + sha256(a.body());
        if (reference.startsWith("sha256:") && !reference.equals(actual)) {
            throw DepotException.integrity("the manifest " + host(source) + " sent for " + reference + " has the digest " + actual);
        }
        try {
            return new Manifest(actual, Json.MAPPER.readTree(a.body()));
        } catch (IOException e) {
            throw DepotException.failed("the manifest of " + source.uri() + " is not JSON");
        }
    }

    /**
     * Unknown repository, tag or digest, told apart: a registry that keeps no list of repositories
     * (distribution's filesystem storage) answers MANIFEST_UNKNOWN for all three, so the tag list
     * decides (404 there: no such repository) and names the tags there are.
     */
    private DepotException notFound(VariantSource source, String reference, SourceHttp.Answer a) throws InterruptedException {
        String where = host(source);
        if (!errorCode(a).equals("NAME_UNKNOWN")) {
            SourceHttp.Answer tags = get(source, URI.create(base(where) + "/v2/" + name(source) + "/tags/list"), "GET");
            if (tags.status() == 404) {
                return DepotException.badInput(where + " has no repository " + name(source) + " (" + errorCode(tags) + ")");
            }
            if (reference.startsWith("sha256:")) {
                return DepotException.badInput(where + " has no manifest " + reference + " for " + name(source) + " (" + errorCode(a) + ")");
            }
            List<String> known = new ArrayList<>();
            try {
                Json.MAPPER.readTree(tags.body()).path("tags").forEach(t -> known.add(t.asText()));
            } catch (IOException unreadable) {
                // the tag list is only a hint
            }
            String hint = known.isEmpty() ? "" : "; its tags: " + String.join(", ", known.subList(0, Math.min(10, known.size())))
                    + (known.size() > 10 ? ", …" : "");
            return DepotException.badInput(where + " has no tag '" + reference + "' for " + name(source) + " (" + errorCode(a) + hint + ")");
        }
        return DepotException.badInput(where + " has no repository " + name(source) + " (NAME_UNKNOWN)");
    }

    /** A request with the bearer token we have; on a Bearer challenge, get a token from the realm and retry once. */
    SourceHttp.Answer get(VariantSource source, URI url, String method) throws InterruptedException {
        URI base = base(host(source));
        SourceHttp.Answer a = http.send(method, url, Map.of("Accept", ACCEPT), authorization(), base, 8L << 20);
        String challenge = a.header("WWW-Authenticate");
        if (a.status() == 401 && challenge != null && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bearer = token(challenge, source);
            a = http.send(method, url, Map.of("Accept", ACCEPT), authorization(), base, 8L << 20);
        }
        return a;
    }

    String authorization() {
        if (bearer != null) {
            return "Bearer " + bearer;
        }
        return null;
    }

    /** The token endpoint of the challenge, asked with service and scope (and Basic credentials when the user has some). */
    private synchronized String token(String challenge, VariantSource source) throws InterruptedException {
        Map<String, String> p = new java.util.HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = p.get("realm");
        if (realm == null || !realm.matches("(?i)https?://.+")) {
            throw DepotException.failed(host(source) + " asked for a token without a usable realm");
        }
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        q.append("service=").append(enc(p.getOrDefault("service", host(source))));
        q.append("&scope=").append(enc(p.getOrDefault("scope", "repository:" + name(source) + ":pull")));
        URI realmUri = URI.create(q.toString());
        boolean userCredentials = credentials.username() != null || credentials.token() != null;
        if (userCredentials && !realmUri.getScheme().equalsIgnoreCase("https") && !loopback(SourceHttp.host(realmUri))) {
            throw DepotException.failed(host(source) + " sends logins to a token service over plain http (" + SourceHttp.host(realmUri)
                    + "); refused, because the credentials could be read on the way");
        }
        String basic = null;
        if (credentials.username() != null) {
            basic = "Basic " + java.util.Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        } else if (credentials.token() != null) {
            basic = "Bearer " + credentials.token();
        }
        SourceHttp.Answer a = http.send("GET", realmUri, Map.of(), basic, realmUri, 1L << 20);
        if (a.status() != 200) {
            throw DepotException.failed("the token service of " + host(source) + " answered HTTP " + a.status()
                    + (credentials == Credentials.NONE ? " to an anonymous request; give credentials with --token-file or a Docker config login" : ""));
        }
        try {
            JsonNode t = Json.MAPPER.readTree(a.body());
            String token = t.hasNonNull("token") ? t.get("token").asText() : t.path("access_token").asText(null);
            if (token == null || token.isBlank()) {
                throw DepotException.failed("the token service of " + host(source) + " sent no token");
            }
            // The distribution spec's default lifetime is 60 s; Docker Hub's tokens last 300 s.
            renewAt = clock.instant().plusMillis(Math.max(0, t.path("expires_in").asLong(60)) * 500);
            lastChallenge = challenge;
            lastSource = source;
            return token;
        } catch (IOException e) {
            throw DepotException.failed("the token service of " + host(source) + " sent an answer that is not JSON");
        }
    }

    /** One file to push: its bytes on disk (a store blob), digest, size, and how the manifest describes it. */
    public record Blob(String title, String mediaType, String role, String sha256, long size, java.nio.file.Path file) {}

    /** Outcome of a push: the manifest digest, and how many blobs were uploaded and skipped (already there). */
    public record Pushed(String digest, int uploaded, int skipped) {}

    /** Blobs up to this size go in one PUT; bigger ones in PATCH chunks of this size (proxies in front of registries cap request bodies). */
    public static final long DEFAULT_CHUNK_SIZE = 64L << 20;

    public Pushed push(VariantSource target, List<Blob> blobs) throws InterruptedException {
        return push(target, blobs, DEFAULT_CHUNK_SIZE);
    }

    /** Uploads the blobs the registry lacks and a manifest under the tag: see {@link OciPush}. */
    public Pushed push(VariantSource target, List<Blob> blobs, long chunkSize) throws InterruptedException {
        return new OciPush(this, http).push(target, blobs, chunkSize);
    }

    /** A request with a body, answering a Bearer challenge once like {@link #get}. */
    SourceHttp.Answer send(VariantSource target, String method, URI url, Map<String, String> headers, byte[] body) throws InterruptedException {
        URI base = base(host(target));
        SourceHttp.Answer a = http.send(method, url, headers, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body), authorization(), base, 1L << 20);
        String challenge = a.header("WWW-Authenticate");
        if (a.status() == 401 && challenge != null && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bearer = token(challenge, target);
            a = http.send(method, url, headers, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body), authorization(), base, 1L << 20);
        }
        return a;
    }

    /**
     * The bearer token for a blob download from this registry: the one obtained while resolving,
     * asked for again once half its lifetime has passed, so the later files of a big variant do
     * not start with a token that ran out during the first (null when none was needed).
     */
    public synchronized String freshBearerToken() throws InterruptedException {
        if (lastChallenge != null && renewAt != null && !clock.instant().isBefore(renewAt)) {
            bearer = token(lastChallenge, lastSource);
        }
        return bearer;
    }

    /** The bearer token obtained while resolving, for the blob downloads from the same host (null when none was needed). */
    public String bearerToken() {
        return bearer;
    }

    static String errorCode(SourceHttp.Answer a) {
        try {
            return Json.MAPPER.readTree(a.body()).path("errors").path(0).path("code").asText("HTTP 404");
        } catch (IOException e) {
            return "HTTP 404";
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
