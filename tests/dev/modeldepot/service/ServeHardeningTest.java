package dev.modeldepot.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: {@code model-store serve} against hostile local clients, on a real child process and
 * raw sockets: DNS rebinding (Host header), what a 401 says, the address it reports, the token's
 * folder, and clients that send half a request and idle. Plus a damaged link seen through
 * {@code /api/models}.
 */
class ServeHardeningTest {
    @TempDir
    Path dir;
    Fixture fixture;
    final List<ServiceProcess> services = new ArrayList<>();

    @BeforeEach
    void origin() throws Exception {
        fixture = new Fixture(dir.resolve("origin"));
    }

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess s : services) {
            s.close();
        }
        fixture.close();
    }

    private ServiceProcess serve(Map<String, String> env, String... extra) throws Exception {
        ServiceProcess s = ServiceProcess.start(dir.resolve("store"), fixture.registry, dir.resolve("logs"), env, extra);
        services.add(s);
        return s;
    }

    /** A status code and body, from a request written by hand (any Host header, no client library rules). */
    record Raw(int status, String body) {}

    private static Raw raw(ServiceProcess s, String method, String path, String host, String token) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.endpoint.port())) {
            socket.setSoTimeout(20_000);
            String request = method + " " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(all.indexOf(' ') + 1, all.indexOf(' ') + 4));
            return new Raw(status, all.substring(all.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void hostHeadersNamingAnotherHostAreRefusedWith421() throws Exception {
        ServiceProcess s = serve(Map.of());
        int port = s.endpoint.port();
        for (String host : new String[] {"evil.example:" + port, "evil.example", "127.0.0.1.nip.io:" + port, "localhost.evil.example"}) {
            Raw r = raw(s, "GET", "/api/health", host, null);
            assertEquals(421, r.status(), host + ": " + r.body());
            String error = Json.MAPPER.readTree(r.body()).get("error").asText();
            assertTrue(error.contains("DNS rebinding") && error.contains("127.0.0.1"), error);
            assertEquals(1, error.lines().count(), "one sentence");
        }
        // A state change with the right token but a foreign Host is refused before anything is done.
        Raw start = raw(s, "POST", "/api/model-download/second/start", "evil.example:" + port, s.token());
        assertEquals(421, start.status(), start.body());
        assertEquals("not_started", s.status("second").get("status").asText());

        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "localhost", "LOCALHOST:" + port, "[::1]:" + port}) {
            assertEquals(200, raw(s, "GET", "/api/health", host, null).status(), host);
        }
        assertEquals(200, raw(s, "GET", "/api/health", null, null).status(), "no Host header (HTTP/1.0 tools, never a browser)");
    }

    @Test
    void a401NeverNamesTheTokenFileAndTheTokenFolderIsTightened() throws Exception {
        Path serviceDir = Files.createDirectories(dir.resolve("store/service"));
        Files.setPosixFilePermissions(serviceDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ServiceProcess s = serve(Map.of());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serviceDir)), "the token's folder");
        ServiceProcess.waitFor(() -> s.err().contains("was open to others; it is owner-only (rwx------) now"), "the warning: " + s.err());

        Raw denied = raw(s, "POST", "/api/model-download/second/start", "127.0.0.1", null);
        assertEquals(401, denied.status());
        assertTrue(denied.body().contains("Authorization: Bearer <token>"), denied.body());
        for (String secretish : new String[] {"token\"", "/token", serviceDir.toString(), dir.toString()}) {
            assertFalse(denied.body().contains(secretish), "the 401 body names " + secretish + ": " + denied.body());
        }
    }

    @Test
    void withBindTheRealAddressAndPortArePrinted() throws Exception {
        ServiceProcess s = serve(Map.of(), "--bind", "0.0.0.0");
        int port = s.endpoint.port();
        assertTrue(port > 0);
        assertTrue(s.out().contains("listening on 0.0.0.0:" + port + " (from this machine: http://127.0.0.1:" + port), s.out());
        ServiceProcess.waitFor(() -> s.err().contains("listening on 0.0.0.0:" + port + ", beyond this machine"), "the warning: " + s.err());
        assertEquals(421, raw(s, "GET", "/api/health", "evil.example:" + port, s.token()).status(), "checked before the token");
        assertEquals(200, raw(s, "GET", "/api/health", "127.0.0.1:" + port, s.token()).status());
    }

    @Test
    void sixtyFourSlowClientsDoNotDelayHealthAndAreDroppedAfterMaxReqTime() throws Exception {
        // maxReqTime at 3 s (the commands default to 10 s) keeps this test short.
        ServiceProcess s = serve(Map.of("JAVA_TOOL_OPTIONS", "-Dsun.net.httpserver.maxReqTime=3"));
        assertEquals(200, s.get("/api/health").status(), "warm");
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket("127.0.0.1", s.endpoint.port());
                socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            long started = System.nanoTime();
            assertEquals(200, s.get("/api/health").status());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 2_000, "/api/health took " + millis + " ms behind 64 slow clients");

            // And the slow ones do not hold the server for ever: each is closed once maxReqTime passes.
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (Socket socket : slow) {
                assertTrue(closedByServer(socket, deadline), "a slow client still connected 30 s later");
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private static boolean closedByServer(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout(500);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open: poll again
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    @Test
    void aDamagedLinkShowsInApiModels() throws Exception {
        ServiceProcess s = serve(Map.of());
        assertEquals(202, s.post("/api/model-download/second/start").status());
        s.awaitStatus("second", "completed");
        Path readable = s.store.resolve("models/second/q4/second.gguf");
        Files.delete(readable);
        Files.writeString(readable, "hello, world\n");

        JsonNode second = s.get("/api/models").json().get("models").findValues("variants").stream()
                .flatMap(v -> java.util.stream.StreamSupport.stream(v.spliterator(), false))
                .filter(v -> v.get("model").asText().equals("second:q4")).findFirst().orElseThrow();
        assertFalse(second.get("in_store").asBoolean(), second.toString());
        assertEquals("damaged link", second.get("store_state").asText(), second.toString());
        assertEquals("not_started", s.status("second").get("status").asText(), "a start would repair it");
    }
}
