package dev.modeldepot.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The real CNCF distribution registry (Debian's docker-registry) on loopback, from a config file
 * the test writes: storage in a temp folder, JSON logs to a file (one line per request, with
 * http.request.method and http.request.uri), optionally a pull-through proxy of another one, and
 * optionally more sections (token auth, storage middleware).
 */
public final class DistributionRegistry implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private DistributionRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts one; {@code remote} non-null makes it a pull-through cache of that registry (which must already answer). */
    public static DistributionRegistry start(Path dir, URI remote) throws Exception {
        return start(dir, remote, "");
    }

    /** As above, with more top-level config sections ({@code auth:}, {@code middleware:}) appended to the file. */
    public static DistributionRegistry start(Path dir, URI remote, String moreConfig) throws Exception {
        Path binary = Requires.command("docker-registry");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        String config = """
                version: 0.1
                log:
                  level: info
                  formatter: json
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port);
        if (remote != null) {
            config += "proxy:\n  remoteurl: " + remote + "\n";
        }
        config += moreConfig;
        Files.writeString(dir.resolve("config.yml"), config);
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder(binary.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DistributionRegistry r = new DistributionRegistry(p, port, log);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("docker-registry stopped: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) r.url().resolve("/v2/").toURL().openConnection();
                c.setConnectTimeout(500);
                int status = c.getResponseCode();
                if (status == 200 || status == 401) { // 401: it answers, and wants a token
                    return r;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        r.close();
        throw new IllegalStateException("docker-registry did not answer within 30 s");
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public Path configFile() {
        return log.resolveSibling("config.yml");
    }

    /** The JSON log lines of requests with this method whose URI is exactly {@code uri}. */
    public long requests(String method, String uri) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.stream().filter(l -> l.contains("\"http.request.method\":\"" + method + "\"")
                && l.contains("\"http.request.uri\":\"" + uri + "\"") && l.contains("\"http.response.status\"")).count();
    }

    /** The JSON log lines of requests with this method whose URI starts with {@code uriPrefix} and that were answered {@code status}. */
    public long requests(String method, String uriPrefix, int status) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("\"http.request.method\":\"" + method + "\"")
                && l.contains("\"http.request.uri\":\"" + uriPrefix) && l.contains("\"http.response.status\":" + status + ",")).count();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
