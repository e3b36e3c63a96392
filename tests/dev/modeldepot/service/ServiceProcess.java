package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * "model-store serve" as a real child process (the script's own main class on this test's class
 * path), with its output in files and a small HTTP client for its API.
 */
final class ServiceProcess implements AutoCloseable {
    record Response(int status, JsonNode json, HttpHeaders headers) {
        String text(String field) {
            JsonNode n = json.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }
    }

    static final Duration PATIENCE = Duration.ofSeconds(60);

    final Process process;
    final Path store;
    final Path out;
    final Path err;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ServiceEndpoint endpoint;

    private ServiceProcess(Process process, Path store, Path out, Path err) {
        this.process = process;
        this.store = store;
        this.out = out;
        this.err = err;
    }

    /** Starts the service and waits until its discovery file names it. */
    static ServiceProcess start(Path store, Path registry, Path logs, Map<String, String> env, String... extra) throws Exception {
        ServiceProcess sp = launch(store, registry, logs, env, extra);
        sp.awaitReady();
        return sp;
    }

    /** Starts the process without waiting for it. */
    static ServiceProcess launch(Path store, Path registry, Path logs, Map<String, String> env, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "ModelStore", "serve",
                "--cache-dir", store.toString(), "--registry", registry.toString(), "--port", "0"));
        cmd.addAll(List.of(extra));
        Files.createDirectories(logs);
        int n = 0;
        while (Files.exists(logs.resolve("out-" + n + ".txt"))) {
            n++;
        }
        Path out = logs.resolve("out-" + n + ".txt");
        Path err = logs.resolve("err-" + n + ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DISABLE_MODEL_DOWNLOADS");
        pb.environment().remove("MODELDEPOT_CACHE");
        pb.environment().put("HF_HUB_CACHE", store.resolveSibling(store.getFileName() + "-hf").toString());
        pb.environment().putAll(env);
        return new ServiceProcess(pb.start(), store, out, err);
    }

    private void awaitReady() throws Exception {
        waitFor(() -> {
            if (!process.isAlive()) {
                fail("the service exited with " + process.exitValue() + ": " + err() + out());
            }
            endpoint = ServiceDiscovery.read(store).filter(e -> e.pid() == process.pid()).orElse(null);
            // The banner's last line follows the discovery file.
            return endpoint != null && out().contains("  queue: ");
        }, "the service's discovery file");
    }

    static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    String token() throws IOException {
        return Files.readString(ServiceDiscovery.serviceDir(store).resolve("token")).trim();
    }

    Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).GET(), null);
    }

    Response post(String path, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(endpoint.resolve(path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), token);
    }

    /** A GET written by hand on a socket, for request lines java.net.URI refuses to build; returns the status code. */
    int rawGet(String rawPath) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(endpoint.url().getHost(), endpoint.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** A POST with the service's own token. */
    Response post(String path) throws Exception {
        return post(path, token(), null);
    }

    Response send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
        return new Response(r.statusCode(), json, r.headers());
    }

    JsonNode status(String model) throws Exception {
        return get("/api/model-download-status/" + model).json();
    }

    /** Polls the status endpoint until the model reaches the status. */
    JsonNode awaitStatus(String model, String status) throws Exception {
        JsonNode[] last = new JsonNode[1];
        waitFor(() -> {
            try {
                last[0] = status(model);
                return status.equals(last[0].get("status").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, model + " to be " + status + " (last: " + last[0] + ")");
        return last[0];
    }

    /** SIGTERM, as systemd and kill send it; returns the exit code. */
    int sigterm() throws Exception {
        process.destroy();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            fail("the service did not stop after SIGTERM");
        }
        return process.exitValue();
    }

    void kill9() throws Exception {
        process.destroyForcibly();
        process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    URI url(String path) {
        return endpoint.resolve(path);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
