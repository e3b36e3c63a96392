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
        String text;
        String label = Redact.text(source);
        if (source.startsWith("http://") || source.startsWith("https://")) {
            if (offline) {
                throw DepotException.badInput("the registry " + label + " is a URL, and --offline forbids fetching it");
            }
            text = fetch(source, label);
        } else if (source.equals(BUILTIN) || source.replace('\\', '/').endsWith(BUILTIN)) {
            text = builtin();
            label = "the built-in registry";
        } else {
            Path path = Path.of(source);
            try {
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

    private static String fetch(String url, String label) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(15))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("User-Agent", Version.USER_AGENT)
                    .header("Accept", "application/json")
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw DepotException.failed("cannot fetch registry " + label + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw DepotException.failed("cannot fetch registry " + label + ": " + Redact.text(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DepotException.interrupted("interrupted while fetching the registry");
        } catch (IllegalArgumentException e) {
            throw DepotException.badInput("registry URL " + label + " is malformed");
        }
    }
}
