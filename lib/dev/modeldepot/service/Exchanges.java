package dev.modeldepot.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading requests and writing JSON answers on the JDK's HttpExchange, with bounded bodies. */
final class Exchanges {
    /** Request bodies are tiny JSON objects; anything bigger is refused before it is read. */
    static final int MAX_BODY = 64 * 1024;
    /** How much of a too-big body is read and dropped before answering; beyond it the connection is cut. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    private Exchanges() {}

    /** The path's segments, each percent-decoded on its own so an encoded '/' stays inside its segment. */
    static List<String> segments(HttpExchange ex) {
        String raw = ex.getRequestURI().getRawPath();
        List<String> out = new ArrayList<>();
        for (String s : raw.split("/", -1)) {
            if (s.isEmpty() && out.isEmpty()) {
                continue; // the leading slash
            }
            try {
                // URLDecoder turns '+' into a space; in a path '+' is itself.
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "the path has a malformed percent-escape");
            }
        }
        return out;
    }

    /** The body as a JSON object, empty when there is none; at most {@link #MAX_BODY} bytes. */
    static JsonNode jsonBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "the Content-Length header is not a number");
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = declared > MAX_BODY ? new byte[0] : in.readNBytes(MAX_BODY + 1);
            if (declared > MAX_BODY || body.length > MAX_BODY) {
                // Read (a bounded amount of) the rest, so the client gets the 413 instead of a reset.
                long skipped = 0;
                byte[] sink = new byte[16 * 1024];
                int n;
                while (skipped < DRAIN_LIMIT && (n = in.read(sink)) >= 0) {
                    skipped += n;
                }
                throw new ApiError(413, "request bodies are limited to " + MAX_BODY + " bytes");
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ApiError(400, "the request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ApiError(400, "the request body must be a JSON object");
        }
        return node;
    }

    static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = (Json.pretty(body) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendError(HttpExchange ex, ApiError e) throws IOException {
        if (e.allow != null) {
            ex.getResponseHeaders().set("Allow", e.allow);
        }
        if (e.status == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"model-store\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("status", e.status);
        send(ex, e.status, body);
    }
}
