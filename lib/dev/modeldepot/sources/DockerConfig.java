package dev.modeldepot.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** Credentials a user already gave {@code docker login}: $DOCKER_CONFIG/config.json (else ~/.docker/config.json), "auths" by host. */
public final class DockerConfig {
    private DockerConfig() {}

    public static OciRegistry.Credentials forHost(Map<String, String> env, String home, String host) {
        String dir = env.get("DOCKER_CONFIG");
        Path file = dir != null && !dir.isBlank() ? Path.of(dir, "config.json") : Path.of(home, ".docker", "config.json");
        try {
            JsonNode auths = Json.MAPPER.readTree(Files.readString(file)).path("auths");
            JsonNode entry = auths.path(host);
            if (entry.isMissingNode() && host.equals("registry-1.docker.io")) {
                entry = auths.path("https://index.docker.io/v1/");
            }
            String auth = entry.path("auth").asText(null);
            if (auth != null) {
                String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    return new OciRegistry.Credentials(pair.substring(0, colon), pair.substring(colon + 1), null);
                }
            }
            String token = entry.path("registrytoken").asText(null);
            return token == null ? OciRegistry.Credentials.NONE : new OciRegistry.Credentials(null, null, token);
        } catch (Exception e) {
            return OciRegistry.Credentials.NONE; // no config, or one we cannot read: anonymous, as docker would be
        }
    }
}
