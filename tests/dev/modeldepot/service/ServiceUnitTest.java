package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.queue.DownloadQueue;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryLoader;
import dev.modeldepot.testing.Run;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service's parts in-process: option checks, the token, the access policy and the status words. */
class ServiceUnitTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bind|example.org|--bind takes an IP address",
        "--port|70000|--port must be between 0 and 65535",
        "--max-active|0|--max-active must be between 1 and 16",
        "--app|no spaces|is not an app name",
    })
    void badOptionsAreOneSentenceAndExit2(String option, String value, String expected) {
        Run run = Run.of(new ModelStoreCommand(), "serve", "--cache-dir", dir.toString(), option, value);
        assertEquals(ExitCode.BAD_INPUT.code, run.exitCode(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("at dev."), "no stack trace: " + run.err());
        assertFalse(Files.exists(dir.resolve("service")), "nothing was started or written");
    }

    @Test
    void aMalformedTokenFileIsBadInputAndAToStringNeverShowsTheToken() throws Exception {
        Path bad = dir.resolve("token");
        Files.writeString(bad, "short");
        DepotException e = assertThrows(DepotException.class, () -> ServiceToken.loadOrCreate(bad));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertFalse(e.getMessage().contains("short"), "the message does not echo the file's content");

        Path fresh = dir.resolve("deep/er/token");
        ServiceToken token = ServiceToken.loadOrCreate(fresh);
        assertTrue(token.created());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        String secret = Files.readString(fresh).trim();
        assertTrue(token.matches(secret));
        assertFalse(token.matches(secret + "x"));
        assertFalse(token.matches(null));
        assertFalse(token.toString().contains(secret));
        assertTrue(token.toString().contains(token.fingerprint()));
        assertTrue(token.fingerprint().matches("sha256:[0-9a-f]{8}"));
        assertFalse(ServiceToken.loadOrCreate(fresh).created(), "an existing token is kept");
    }

    @Test
    void beyondLoopbackEveryEndpointWantsTheToken() throws Exception {
        Registry registry = RegistryLoader.parse("{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"name\":\"M\",\"variants\":[{\"id\":\"q4\","
                + "\"files\":[{\"path\":\"m.gguf\",\"url\":\"http://127.0.0.1:9/m.gguf\",\"size\":10}]}]}]}", "test");
        StoreView nothing = new StoreView() {
            public boolean inStore(dev.modeldepot.registry.VariantRef ref) {
                return false;
            }

            public boolean inHfCache(dev.modeldepot.registry.VariantRef ref) {
                return false;
            }
        };
        ServiceToken token = ServiceToken.loadOrCreate(dir.resolve("token"));
        DownloadQueue queue = new DownloadQueue(dir.resolve("queue.json"), (k, l, c) -> { }, 1, Clock.systemUTC());
        Map<String, String> env = Map.of();
        assertTrue(new DownloadService(new DownloadService.Config(dir, InetAddress.getByName("0.0.0.0"), 0), registry, queue,
                nothing, token, env, Clock.systemUTC(), System.out).tokenForEveryEndpoint());
        assertTrue(new DownloadService(new DownloadService.Config(dir, InetAddress.getByName("192.168.1.20"), 0), registry, queue,
                nothing, token, env, Clock.systemUTC(), System.out).tokenForEveryEndpoint());
        assertFalse(new DownloadService(new DownloadService.Config(dir, InetAddress.getByName("127.0.0.1"), 0), registry, queue,
                nothing, token, env, Clock.systemUTC(), System.out).tokenForEveryEndpoint());

        // The handler in that mode, served on loopback only (tests never listen beyond it).
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", new ApiHandler(registry, queue, nothing, token, true, null, Instant.now(),
                new HostCheck(InetAddress.getLoopbackAddress())));
        server.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/health");
            URI status = health.resolve("/api/model-download-status/m");
            assertEquals(401, http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            String secret = Files.readString(dir.resolve("token")).trim();
            assertEquals(200, http.send(HttpRequest.newBuilder(status).header("Authorization", "Bearer " + secret).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            server.stop(0);
            queue.close();
        }
    }

    @Test
    void statusWordsFollowTheSeeds() {
        assertEquals("not_started", StatusReport.status(null, false));
        assertEquals("completed", StatusReport.status(null, true), "already in the store without a queue entry");
        assertEquals("queued", StatusReport.status(ItemState.QUEUED, false));
        assertEquals("queued", StatusReport.status(ItemState.PAUSED, false));
        assertEquals("downloading", StatusReport.status(ItemState.DOWNLOADING, false));
        assertEquals("failed", StatusReport.status(ItemState.FAILED, false));
        assertEquals("completed", StatusReport.status(ItemState.COMPLETED, true));
        assertEquals("not_started", StatusReport.status(ItemState.COMPLETED, false), "deleted from the store since");
        assertEquals("not_started", StatusReport.status(ItemState.CANCELLED, false));
    }

    @Test
    void theDisableSwitchAcceptsTheUsualSpellings() {
        assertNull(DownloadService.disabledReason(Map.of()));
        assertNull(DownloadService.disabledReason(Map.of("DISABLE_MODEL_DOWNLOADS", "0")));
        assertNull(DownloadService.disabledReason(Map.of("DISABLE_MODEL_DOWNLOADS", "")));
        assertTrue(DownloadService.disabledReason(Map.of("DISABLE_MODEL_DOWNLOADS", "1")).contains("DISABLE_MODEL_DOWNLOADS=1"));
        assertTrue(DownloadService.disabledReason(Map.of("DISABLE_MODEL_DOWNLOADS", "true")).contains("disabled"));
    }
}
