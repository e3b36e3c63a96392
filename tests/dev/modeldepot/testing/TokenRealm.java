package dev.modeldepot.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A token service for the real docker-registry's {@code auth: token} mode, on loopback: the
 * registry answers 401 with {@code WWW-Authenticate: Bearer realm=<this>/token,service=…,scope=…};
 * this service hands out RS256 JWTs the registry verifies against the certificate in
 * {@link #certificate()} (its {@code rootcertbundle}). The key and a self-signed certificate come
 * from the JDK's keytool; the JWT header names the key by its libtrust key id ({@code kid}),
 * which is how distribution finds a trusted key in the bundle.
 * <p>
 * Policy: a client with the right credentials (Basic {@code user:password}, or
 * {@code Bearer <labToken>}) gets every action it asks for; an anonymous client gets {@code pull}
 * on repositories under {@code public/} only; wrong credentials get 401.
 */
public final class TokenRealm implements AutoCloseable {
    public static final String SERVICE = "modeldepot-test-registry";
    public static final String ISSUER = "modeldepot-test-issuer";

    /** One token request as the realm saw it. */
    public record Asked(String query, String authorization, boolean granted) {}

    private final HttpServer server;
    private final PrivateKey key;
    private final String kid;
    private final Path certificate;
    private final String user;
    private final String password;
    private final String labToken;
    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    /** The lifetime the answers advertise ({@code expires_in}); the JWT itself stays valid for 300 s. */
    private volatile long advertisedLifetime = 300;

    private TokenRealm(HttpServer server, PrivateKey key, PublicKey publicKey, Path certificate, String user, String password, String labToken) throws Exception {
        this.server = server;
        this.key = key;
        this.kid = libtrustKeyId(publicKey);
        this.certificate = certificate;
        this.user = user;
        this.password = password;
        this.labToken = labToken;
    }

    public static TokenRealm start(Path dir, String user, String password, String labToken) throws Exception {
        Files.createDirectories(dir);
        Path store = dir.resolve("realm.p12");
        Path cert = dir.resolve("realm.pem");
        keytool("-genkeypair", "-alias", "realm", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=modeldepot test realm",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "realmpass", "-keypass", "realmpass");
        keytool("-exportcert", "-rfc", "-alias", "realm", "-keystore", store.toString(), "-storepass", "realmpass", "-file", cert.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "realmpass".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("realm", "realmpass".toCharArray());
        PublicKey publicKey = ks.getCertificate("realm").getPublicKey();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        TokenRealm realm = new TokenRealm(server, key, publicKey, cert, user, password, labToken);
        server.createContext("/token", realm::handle);
        server.start();
        return realm;
    }

    /** The {@code auth:} section of a registry config that trusts this realm. */
    public String registryAuthConfig() {
        return """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(url(), SERVICE, ISSUER, certificate);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    public Path certificate() {
        return certificate;
    }

    public List<Asked> asked() {
        return List.copyOf(asked);
    }

    /** Advertise this lifetime from now on (0: clients should ask again before each use). */
    public void advertiseLifetime(long seconds) {
        advertisedLifetime = seconds;
    }

    /** Every token this realm handed out (to check none of them was written anywhere). */
    public List<String> issued() {
        return List.copyOf(issued);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean known = auth != null && (auth.equals(basic(user, password)) || auth.equals("Bearer " + labToken));
            if (auth != null && !known) {
                asked.add(new Asked(query, auth, false));
                send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            List<String> access = new ArrayList<>();
            for (String part : query.split("&")) {
                if (!part.startsWith("scope=")) {
                    continue;
                }
                String[] scope = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8).split(":");
                if (scope.length != 3 || !scope[0].equals("repository")) {
                    continue;
                }
                List<String> actions = new ArrayList<>();
                for (String a : scope[2].split(",")) {
                    if (known || (a.equals("pull") && scope[1].startsWith("public/"))) {
                        actions.add("\"" + a + "\"");
                    }
                }
                access.add("{\"type\":\"repository\",\"name\":\"" + scope[1] + "\",\"actions\":[" + String.join(",", actions) + "]}");
            }
            asked.add(new Asked(query, auth, true));
            String token = jwt(known ? user : "", "[" + String.join(",", access) + "]");
            issued.add(token);
            send(ex, 200, "{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":" + advertisedLifetime + "}");
        } catch (Exception e) {
            send(ex, 500, "{}");
        }
    }

    private String jwt(String subject, String access) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300)
                + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\"" + Long.toHexString(System.nanoTime()) + "\",\"access\":" + access + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(s.sign());
    }

    /** libtrust's key id: SHA-256 of the DER public key, first 240 bits, base32, in groups of four joined by ':'. */
    static String libtrustKeyId(PublicKey k) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(k.getEncoded());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b32 = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < 30; i++) {
            buffer = (buffer << 8) | (hash[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                b32.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < b32.length(); i += 4) {
            id.append(i == 0 ? "" : ":").append(b32, i, i + 4);
        }
        return id.toString();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
