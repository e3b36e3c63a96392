package dev.modeldepot.registry;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Version;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** Reads a registry from a file, an http(s) URL or the built-in copy, and validates it. */
public final class RegistryLoader {
    /** The registry shipped with the suite (registry/model-registry.json, embedded in the scripts). */
    public static final String BUILTIN = "builtin:registry/model-registry.json";

    /** A registry is a catalogue, not a payload: 16 MB holds tens of thousands of models. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;
    /** The whole fetch of a registry URL, body included (a trickling server cannot hold a command for ever). */
    static final Duration FETCH_DEADLINE = Duration.ofSeconds(60);

    private RegistryLoader() {}

    /** The default registry: the shipped file when running from the repository, else the embedded copy. */
    public static Path defaultRegistryPath() {
        String repo = System.getProperty("modeldepot.repo");
        if (repo != null) {
            Path p = Path.of(repo, "registry", "model-registry.json");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return Path.of(BUILTIN);
    }

    public static Registry load(String source, boolean offline) {
        return load(source, offline, DEFAULT_MAX_BYTES, FETCH_DEADLINE);
    }

    /**
     * Loads at most {@code maxBytes} (refused beyond, exit 2), fetching a URL within {@code deadline}
     * (headers and body together, exit 2 when it passes).
     */
    public static Registry load(String source, boolean offline, long maxBytes, Duration deadline) {
        String text;
        String label = Redact.text(source);
        if (source.startsWith("http://") || source.startsWith("https://")) {
            if (offline) {
                throw DepotException.badInput("the registry " + label + " is a URL, and --offline forbids fetching it");
            }
            text = fetch(source, label, maxBytes, deadline);
        } else if (source.equals(BUILTIN) || source.replace('\\', '/').endsWith(BUILTIN)) {
            text = builtin();
            label = "the built-in registry";
        } else {
            Path path = Path.of(source);
            try {
                if (Files.size(path) > maxBytes) {
                    throw tooBig(label, maxBytes);
                }
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw DepotException.badInput("registry file not found: " + path);
            } catch (IOException e) {
                throw DepotException.badInput("cannot read registry " + path + ": " + e.getMessage());
            }
        }
        return parse(text, label);
    }

    /** Parses and validates registry JSON text; every problem is listed in one exit-2 message. */
    public static Registry parse(String text, String label) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonParseException e) {
            var loc = e.getLocation();
            throw DepotException.badInput("registry " + label + " is not valid JSON (line " + loc.getLineNr()
                    + ", column " + loc.getColumnNr() + "): " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw DepotException.badInput("registry " + label + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw DepotException.badInput("registry " + label + " is empty");
        }
        RegistryValidator validator = new RegistryValidator();
        Registry registry = validator.validate(root, label);
        if (!validator.problems().isEmpty()) {
            int n = validator.problems().size();
            throw DepotException.badInput("registry " + label + " has " + n + (n == 1 ? " problem: " : " problems: ")
                    + String.join("; ", validator.problems()));
        }
        return registry;
    }

    private static String builtin() {
        try (InputStream in = RegistryLoader.class.getClassLoader().getResourceAsStream("registry/model-registry.json")) {
            if (in == null) {
                throw DepotException.badInput("no registry given and no built-in registry found; pass --registry FILE or set MODELDEPOT_REGISTRY");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DepotException.failed("cannot read the built-in registry: " + e.getMessage());
        }
    }

    private static DepotException tooBig(String label, long maxBytes) {
        return DepotException.badInput("registry " + label + " is larger than " + dev.modeldepot.core.Sizes.human(maxBytes)
                + "; a registry that big is refused (raise the limit with --max-registry-size if it is really yours)");
    }

    /**
     * Fetches with a cap and a deadline over the whole exchange: the body is gathered by a
     * subscriber that cancels once past {@code maxBytes}, so an endless or trickling body costs
     * neither memory nor more than {@code deadline}.
     */
    private static String fetch(String url, String label, long maxBytes, Duration deadline) {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
        CappedBody body = new CappedBody(maxBytes);
        java.util.concurrent.CompletableFuture<HttpResponse<Void>> future = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(deadline)
                    .header("User-Agent", Version.USER_AGENT)
                    .header("Accept", "application/json")
                    .build();
            future = client.sendAsync(request, info -> HttpResponse.BodySubscribers.fromSubscriber(body));
            // Past the cap the subscription is cancelled, and the response may then never complete: wait for either.
            java.util.concurrent.CompletableFuture.anyOf(future, body.overflow).get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (body.overflowed) {
                future.cancel(true);
                throw tooBig(label, maxBytes);
            }
            HttpResponse<Void> response = future.get();
            if (response.statusCode() != 200) {
                throw DepotException.failed("cannot fetch registry " + label + ": HTTP " + response.statusCode());
            }
            return body.text();
        } catch (java.util.concurrent.TimeoutException e) {
            body.cancel();
            throw DepotException.badInput("registry " + label + " did not arrive within " + deadline.toSeconds()
                    + " s (" + dev.modeldepot.core.Sizes.human(body.received) + " received); refused");
        } catch (java.util.concurrent.ExecutionException e) {
            if (body.overflowed) {
                throw tooBig(label, maxBytes);
            }
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw DepotException.failed("cannot fetch registry " + label + ": " + Redact.text(String.valueOf(c.getMessage())));
        } catch (InterruptedException e) {
            body.cancel();
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while fetching the registry");
        } catch (IllegalArgumentException e) {
            throw DepotException.badInput("registry URL " + label + " is malformed");
        }
    }

    /** Gathers a body up to a cap; past it, cancels the subscription and says so. */
    private static final class CappedBody implements java.util.concurrent.Flow.Subscriber<java.util.List<java.nio.ByteBuffer>> {
        private final long max;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private volatile java.util.concurrent.Flow.Subscription subscription;
        final java.util.concurrent.CompletableFuture<Void> overflow = new java.util.concurrent.CompletableFuture<>();
        volatile boolean overflowed;
        volatile long received;

        CappedBody(long max) {
            this.max = max;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(java.util.List<java.nio.ByteBuffer> buffers) {
            for (java.nio.ByteBuffer b : buffers) {
                received += b.remaining();
                if (received > max) {
                    overflowed = true;
                    cancel();
                    bytes.reset();
                    overflow.complete(null);
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                synchronized (bytes) {
                    bytes.write(chunk, 0, chunk.length);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            // The response future carries the failure.
        }

        @Override
        public void onComplete() {
        }

        void cancel() {
            var s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
