package dev.modeldepot.service;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The small file in the store that lets the dashboard and the scripts find a running service
 * ({@code <store>/service/service.json}) instead of starting a second downloader. It is written
 * atomically when the service is up and removed on a clean shutdown; one left by a kill -9 is
 * recognised as stale because its pid is gone or nothing answers at its port.
 */
public final class ServiceDiscovery {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private ServiceDiscovery() {}

    public static Path serviceDir(Path storeRoot) {
        return storeRoot.resolve("service");
    }

    public static Path file(Path storeRoot) {
        return serviceDir(storeRoot).resolve("service.json");
    }

    public static void write(Path storeRoot, ServiceEndpoint endpoint) throws IOException {
        AtomicFiles.write(file(storeRoot), Json.pretty(endpoint).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Removes the file only if it still describes this process (a newer service may have replaced it). */
    public static void remove(Path storeRoot, long pid) {
        read(storeRoot).filter(e -> e.pid() == pid).ifPresent(e -> {
            try {
                Files.deleteIfExists(file(storeRoot));
            } catch (IOException ignored) {
                // A stale file is recognised by the next reader anyway.
            }
        });
    }

    /** The discovery file as written, alive or not. */
    public static Optional<ServiceEndpoint> read(Path storeRoot) {
        Path f = file(storeRoot);
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(f), ServiceEndpoint.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The running service of this store: its pid is alive and its health endpoint answers. */
    public static Optional<ServiceEndpoint> find(Path storeRoot) {
        return find(storeRoot, HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build());
    }

    public static Optional<ServiceEndpoint> find(Path storeRoot, HttpClient http) {
        return read(storeRoot).filter(e -> ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false))
                .filter(e -> answers(e, http));
    }

    private static boolean answers(ServiceEndpoint e, HttpClient http) {
        try {
            HttpRequest request = HttpRequest.newBuilder(e.resolve("/api/health")).timeout(PROBE_TIMEOUT)
                    .header("User-Agent", Version.USER_AGENT).GET().build();
            int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            // 401: a service bound beyond loopback wants the token even for health; it is there.
            return code == 200 || code == 401;
        } catch (IOException | IllegalArgumentException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static URI localUrl(String bind, int port) {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("0:0:0:0:0:0:0:0")) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + port);
    }
}
