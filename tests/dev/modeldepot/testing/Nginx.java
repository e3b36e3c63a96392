package dev.modeldepot.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx on 127.0.0.1 serving a folder, for tests of real Range, If-Range and ETag
 * handling. Everything (config, pid, logs, temp folders) lives in a temp dir; close() stops it.
 * <pre>
 * try (Nginx nginx = Nginx.start(rootDir, "2m")) {   // limit_rate per connection, or null
 *     URI u = nginx.url("/model.bin");
 *     ... nginx.bodyBytesSent() ...                  // from the access log's $body_bytes_sent
 * }
 * </pre>
 * Call {@code Requires.command("nginx")} first (start() does it too).
 */
public final class Nginx implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static Nginx start(Path root, String limitRate) throws IOException, InterruptedException {
        Path nginx = Requires.command("nginx");
        Path dir = Files.createTempDirectory("nginx-test");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 512; }
                http {
                    log_format bytes '$request_uri $status $body_bytes_sent "$http_range" "$http_if_range"';
                    access_log %1$s/access.log bytes;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    default_type application/octet-stream;
                    sendfile on;
                    keepalive_requests 10000;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                        %4$s
                        location / { }
                    }
                }
                """.formatted(dir, port, root.toAbsolutePath(), limitRate == null ? "" : "limit_rate " + limitRate + ";");
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx n = new Nginx(p, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("nginx exited at start: " + Files.readString(dir.resolve("stdout.log")) + readQuietly(dir.resolve("error.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return n;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        n.close();
        throw new IOException("nginx did not start listening on 127.0.0.1:" + port);
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The access log lines so far: "uri status body_bytes_sent "range" "if-range"". */
    public List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Sum of $body_bytes_sent over all requests logged so far (a request is logged when it ends). */
    public long bodyBytesSent() throws IOException {
        return accessLog().stream().mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
