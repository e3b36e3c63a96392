package dev.modeldepot.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Version;
import dev.modeldepot.queue.QueueSnapshot;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * For the dashboard and the scripts: act through a running service instead of starting a second
 * downloader. {@code ServiceDiscovery.find(storeRoot).map(ServiceClient::new)}. The token is read
 * from the file the discovery file names, when a state-changing call needs it.
 */
public final class ServiceClient {
    private final ServiceEndpoint endpoint;
    private final HttpClient http;

    public ServiceClient(ServiceEndpoint endpoint) {
        this(endpoint, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public ServiceClient(ServiceEndpoint endpoint, HttpClient http) {
        this.endpoint = endpoint;
        this.http = http;
    }

    public ServiceEndpoint endpoint() {
        return endpoint;
    }

    /** The service's queue as the same immutable records a local queue gives. */
    public QueueSnapshot snapshot() {
        try {
            return Json.MAPPER.treeToValue(call("GET", "/api/queue", null), QueueSnapshot.class);
        } catch (IOException e) {
            throw DepotException.failed("the service at " + endpoint.url() + " sent a queue this version cannot read");
        }
    }

    /** Queues "model" or "model:variant"; returns the service's answer (model, queued, message, status). */
    public JsonNode start(String model, int priority) {
        return call("POST", "/api/model-download/" + encode(model) + "/start", "{\"priority\":" + priority + "}");
    }

    /** Sets an entry's priority (higher runs first); true when it changed the queue. */
    public boolean priority(String model, int priority) {
        return call("POST", "/api/model-download/" + encode(model) + "/priority", "{\"priority\":" + priority + "}").path("changed").asBoolean();
    }

    /** cancel, clear, pause, resume or retry; true when it changed the queue. */
    public boolean act(String action, String model) {
        return call("POST", "/api/model-download/" + encode(model) + "/" + action, null).path("changed").asBoolean();
    }

    public JsonNode status(String model) {
        return call("GET", "/api/model-download-status/" + encode(model), null);
    }

    private static String encode(String model) {
        return URLEncoder.encode(model, StandardCharsets.UTF_8);
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("User-Agent", Version.USER_AGENT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (method.equals("POST") || !endpoint.url().getHost().equals(endpoint.bind())) {
            request.header("Authorization", "Bearer " + token());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = Json.MAPPER.readTree(response.body());
            if (response.statusCode() >= 400) {
                throw new DepotException(response.statusCode() == 404 || response.statusCode() == 400
                        ? dev.modeldepot.core.ExitCode.BAD_INPUT : dev.modeldepot.core.ExitCode.FAILED,
                        "the download service answered " + response.statusCode() + ": " + json.path("error").asText("no reason given"));
            }
            return json;
        } catch (IOException e) {
            throw DepotException.failed("the download service at " + endpoint.url() + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while calling the download service");
        }
    }

    private String token() {
        try {
            return Files.readString(Path.of(endpoint.tokenFile()), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw DepotException.failed("cannot read the service's token file " + endpoint.tokenFile() + ": " + e.getMessage());
        }
    }
}
