package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, High 2: a user's token and headers go only to the host the user named, never to a
 * registry's mirror or file host. "127.0.0.1" and "localhost" are two hosts of one test origin.
 */
@ExtendWith(StartedOrigins.class)
class TokenScopeTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    byte[] body = FaultOrigin.randomBytes(MB, 7);

    @BeforeEach
    void start() throws Exception {
        origin.serve("/mirror/f", body);
    }

    DownloadRequest withMirror() {
        return new DownloadRequest("f", origin.url("127.0.0.1", "/gone/f"), List.of(origin.url("localhost", "/mirror/f")),
                body.length, FaultOrigin.sha256(body), dir.resolve("f"), null);
    }

    @Test
    void aMirrorOnAnotherHostGetsNeitherTokenNorHeaders() {
        DownloadSettings s = EngineFaultsTest.settings().toBuilder().token("tok-SECRET", null).headers(List.of("X-Api-Key: key-SECRET")).build();
        new DownloadEngine(s).download(withMirror(), new Events(), new Cancellation());
        assertFalse(origin.recorded("/gone/f").isEmpty());
        origin.recorded("/gone/f").forEach(r -> assertEquals("Bearer tok-SECRET", r.header("Authorization")));
        assertFalse(origin.recorded("/mirror/f").isEmpty());
        origin.recorded("/mirror/f").forEach(r -> {
            assertNull(r.header("Authorization"), "the mirror is another host");
            assertNull(r.header("X-Api-Key"), "the mirror is another host");
        });
    }

    @Test
    void theNamedHostGetsThemAndNoOtherDoes() {
        DownloadSettings s = EngineFaultsTest.settings().toBuilder().token("tok-SECRET", "localhost:" + origin.port())
                .headers(List.of("X-Api-Key: key-SECRET")).build();
        new DownloadEngine(s).download(withMirror(), new Events(), new Cancellation());
        origin.recorded("/gone/f").forEach(r -> {
            assertNull(r.header("Authorization"));
            assertNull(r.header("X-Api-Key"));
        });
        origin.recorded("/mirror/f").forEach(r -> assertEquals("Bearer tok-SECRET", r.header("Authorization")));
    }

    @Test
    void tokenHostForms() {
        assertTrue(TokenScope.parse("example.org").covers(java.net.URI.create("https://example.org/x")));
        assertTrue(TokenScope.parse("example.org").covers(java.net.URI.create("http://EXAMPLE.org:8080/x")));
        assertFalse(TokenScope.parse("example.org").covers(java.net.URI.create("https://cdn.example.org/x")), "no subdomains");
        assertTrue(TokenScope.parse("https://example.org").covers(java.net.URI.create("https://example.org:443/x")));
        assertFalse(TokenScope.parse("https://example.org").covers(java.net.URI.create("http://example.org/x")));
        assertFalse(TokenScope.parse("example.org:8443").covers(java.net.URI.create("https://example.org/x")));
    }

    Run cli(Map<String, String> env, String... args) throws Exception {
        String registry = """
                {"schemaVersion":1,"models":[{"id":"tiny","name":"Tiny","variants":[{"id":"q4","default":true,"files":[
                  {"path":"w.gguf","url":"%s","mirrors":["%s"],"size":%d,"sha256":"%s","role":"weights"}]}]}]}
                """.formatted(origin.url("127.0.0.1", "/gone/f"), origin.url("localhost", "/mirror/f"), body.length, FaultOrigin.sha256(body));
        Files.writeString(dir.resolve("registry.json"), registry);
        return DownloadCommandTest.run(dir, env, args);
    }

    @Test
    void registryDownloadsRefuseATokenWithoutTokenHost() throws Exception {
        for (String[] args : List.of(new String[] {"--token", "tok-SECRET", "tiny"}, new String[] {"--header", "X-Api-Key: k", "tiny"})) {
            Run r = cli(Map.of(), args);
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains("--token-host"), r.err());
            assertFalse(r.err().contains("tok-SECRET"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one sentence: " + r.err());
        }
        Run env = cli(Map.of("MODELDEPOT_TOKEN", "tok-ENV"), "tiny");
        assertEquals(2, env.exitCode(), env.err());
        assertEquals(0, origin.recorded().size(), "nothing was sent");
    }

    @Test
    void registryDownloadsWithTokenHostSendItThereOnly() throws Exception {
        Run r = cli(Map.of(), "--token", "tok-SECRET", "--token-host", "127.0.0.1:" + origin.port(), "tiny");
        assertEquals(0, r.exitCode(), r.err());
        origin.recorded("/gone/f").forEach(q -> assertEquals("Bearer tok-SECRET", q.header("Authorization")));
        origin.recorded("/mirror/f").forEach(q -> assertNull(q.header("Authorization")));
    }

    @Test
    void tokenFileAndEnvironmentVariableReachTheUrlHost() throws Exception {
        origin.serve("/f", body);
        Path tokenFile = dir.resolve("token.txt");
        Files.writeString(tokenFile, "tok-FILE\n");
        Run fromFile = cli(Map.of(), "--token-file", tokenFile.toString(), "--url", origin.url("/f").toString(), "-o", dir.resolve("a").toString());
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        Run fromEnv = cli(Map.of("MODELDEPOT_TOKEN", "tok-ENV"), "--url", origin.url("/f").toString(), "-o", dir.resolve("b").toString());
        assertEquals(0, fromEnv.exitCode(), fromEnv.err());
        List<String> seen = origin.recorded("/f").stream().map(q -> q.header("Authorization")).distinct().toList();
        assertTrue(seen.contains("Bearer tok-FILE") && seen.contains("Bearer tok-ENV"), seen.toString());
        Run help = cli(Map.of(), "--help");
        assertTrue(help.out().contains("visible") || help.out().contains("ps"), help.out());
        assertTrue(help.out().contains("--token-file") && help.out().contains("MODELDEPOT_TOKEN"), help.out());
    }
}
