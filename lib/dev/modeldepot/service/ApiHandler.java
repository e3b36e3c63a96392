package dev.modeldepot.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Errors;
import dev.modeldepot.core.Version;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The admin API. Checks run in a fixed order so every answer is predictable: a Host header naming
 * neither the bound address nor localhost 421, unknown path 404, wrong method 405, missing token
 * 401, malformed request 400 (413 when too big), unknown model 404, downloads disabled 403.
 */
final class ApiHandler implements HttpHandler {
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(:[A-Za-z0-9][A-Za-z0-9._-]{0,127})?");
    private static final List<String> ACTIONS = List.of("start", "cancel", "clear", "pause", "resume", "retry", "priority");

    private final Registry registry;
    private final DownloadQueue queue;
    private final StatusReport report;
    private final StoreView store;
    private final ServiceToken token;
    private final boolean tokenForReads;
    private final String disabledReason;
    private final Instant startedAt;
    private final HostCheck hosts;

    /**
     * @param tokenForReads  true when the service listens beyond loopback: then every endpoint wants the token
     * @param disabledReason why downloads are switched off, or null when they are on
     * @param hosts          which Host headers are answered (the DNS rebinding guard)
     */
    ApiHandler(Registry registry, DownloadQueue queue, StoreView store, ServiceToken token, boolean tokenForReads,
               String disabledReason, Instant startedAt, HostCheck hosts) {
        this.hosts = hosts;
        this.registry = registry;
        this.queue = queue;
        this.report = new StatusReport(registry, store);
        this.store = store;
        this.token = token;
        this.tokenForReads = tokenForReads;
        this.disabledReason = disabledReason;
        this.startedAt = startedAt;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (ApiError e) {
            Exchanges.sendError(ex, e);
        } catch (RuntimeException e) {
            // One sentence, never a trace or a secret, and the service stays up.
            Exchanges.sendError(ex, new ApiError(500, "internal error: " + dev.modeldepot.core.Redact.text(dev.modeldepot.core.Errors.messageOf(e))));
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        // First of all: a request addressed to another name is not for us, whatever it asks (421 Misdirected Request).
        String misdirected = hosts.refusal(ex.getRequestHeaders().getFirst("Host"));
        if (misdirected != null) {
            throw new ApiError(421, misdirected);
        }
        List<String> p = Exchanges.segments(ex);
        String method = ex.getRequestMethod();
        if (p.size() == 2 && p.get(0).equals("api") && p.get(1).equals("health")) {
            read(ex, method);
            Exchanges.send(ex, 200, health());
        } else if (p.size() == 2 && p.get(0).equals("api") && p.get(1).equals("models")) {
            read(ex, method);
            Exchanges.send(ex, 200, report.models(queue.snapshot()));
        } else if (p.size() == 2 && p.get(0).equals("api") && p.get(1).equals("model-download-queue-status")) {
            read(ex, method);
            Exchanges.send(ex, 200, report.queue(queue.snapshot(), queue.maxActive(), disabledReason == null));
        } else if (p.size() == 2 && p.get(0).equals("api") && p.get(1).equals("queue")) {
            // The queue's own snapshot record, for clients that render it like a local queue (the dashboard).
            read(ex, method);
            Exchanges.send(ex, 200, queue.snapshot());
        } else if (p.size() == 3 && p.get(0).equals("api") && p.get(1).equals("model-download-status")) {
            read(ex, method);
            Exchanges.send(ex, 200, report.variant(resolve(p.get(2)), queue.snapshot()));
        } else if (p.size() == 4 && p.get(0).equals("api") && p.get(1).equals("model-download") && ACTIONS.contains(p.get(3))) {
            write(ex, method);
            JsonNode body = Exchanges.jsonBody(ex);
            VariantRef ref = resolve(p.get(2));
            Map<String, Object> answer = act(p.get(3), ref, body);
            // 202: accepted into the queue, the work happens later; 200: done (or nothing to do).
            Exchanges.send(ex, Boolean.TRUE.equals(answer.get("queued")) ? 202 : 200, answer);
        } else {
            throw new ApiError(404, "no such endpoint: " + ex.getRequestURI().getRawPath());
        }
    }

    private void read(HttpExchange ex, String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new ApiError(405, "use GET for this endpoint", "GET, HEAD");
        }
        if (tokenForReads) {
            authorise(ex);
        }
    }

    private void write(HttpExchange ex, String method) {
        if (!method.equals("POST")) {
            throw new ApiError(405, "use POST for this endpoint", "POST");
        }
        authorise(ex);
    }

    private void authorise(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String prefix = "bearer ";
        if (header == null || header.length() <= prefix.length() || !header.regionMatches(true, 0, prefix, 0, prefix.length())
                || !token.matches(header.substring(prefix.length()))) {
            // Never the token file's path: whoever may read it knows where it is (model-store serve prints it at start).
            throw new ApiError(401, "this endpoint needs \"Authorization: Bearer <token>\" with the service's token "
                    + "(the file named where model-store serve started)");
        }
    }

    private VariantRef resolve(String id) {
        if (!MODEL_ID.matcher(id).matches()) {
            throw new ApiError(400, "a model id is \"model\" or \"model:variant\" (letters, digits, '.', '_', '-')");
        }
        try {
            return registry.resolve(id);
        } catch (DepotException e) {
            throw new ApiError(404, e.getMessage());
        }
    }

    private Map<String, Object> act(String action, VariantRef ref, JsonNode body) {
        String key = ref.key();
        if (disabledReason != null) {
            // Read-only then: the queue is not running, so it does not own its state file either.
            throw new ApiError(403, disabledReason);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", key);
        switch (action) {
            case "start" -> {
                JsonNode priority = body.get("priority");
                if (priority != null && !priority.canConvertToInt()) {
                    throw new ApiError(400, "\"priority\" must be a whole number");
                }
                ItemState state = queue.snapshot().item(key).map(ItemSnapshot::state).orElse(null);
                boolean waiting = state != null && !state.isFinished();
                if (!waiting && store.inStore(ref)) {
                    answer.put("queued", false);
                    answer.put("message", "already in the store");
                } else {
                    boolean added = queue.enqueue(key, priority == null ? 0 : priority.asInt());
                    boolean resumed = !added && queue.resume(key);
                    answer.put("queued", added || resumed);
                    answer.put("message", added ? "queued" : resumed ? "resumed" : "already in the queue");
                }
            }
            case "cancel" -> answer.put("changed", queue.cancel(key));
            case "clear" -> answer.put("changed", queue.clear(key));
            case "pause" -> answer.put("changed", queue.pause(key));
            case "resume" -> answer.put("changed", queue.resume(key));
            case "retry" -> answer.put("changed", queue.retry(key));
            case "priority" -> {
                JsonNode priority = body.get("priority");
                if (priority == null || !priority.canConvertToInt()) {
                    throw new ApiError(400, "send {\"priority\": N} with a whole number N (higher runs first)");
                }
                answer.put("changed", queue.setPriority(key, priority.asInt()));
            }
            default -> throw new ApiError(404, "no such action: " + action);
        }
        Map<String, Object> status = report.variant(ref, queue.snapshot());
        answer.put("status", status.get("status"));
        answer.put("state", status.get("state"));
        return answer;
    }

    private Map<String, Object> health() {
        QueueSnapshot snap = queue.snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", Version.NUMBER);
        m.put("pid", ProcessHandle.current().pid());
        m.put("started_at", startedAt);
        m.put("downloads_enabled", disabledReason == null);
        m.put("queue_size", snap.size());
        m.put("running", snap.running());
        return m;
    }
}
