package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.RawOrigin;
import dev.modeldepot.testing.Requires;
import dev.modeldepot.testing.Run;
import dev.modeldepot.testing.StartedOrigins;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, low items: redirects and headers a hostile server sends. Each is one sentence, exit 1,
 * a failed event, no retries of what will not change, and nothing left behind (not even the lock).
 */
@ExtendWith(StartedOrigins.class)
class MalformedResponseTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;
    Events events = new Events();

    DepotException refused(URI url) throws Exception {
        DownloadRequest req = new DownloadRequest("f.bin", url, List.of(), -1, null, dir.resolve("out/f.bin"), null);
        DepotException e = assertThrows(DepotException.class, () ->
                new DownloadEngine(EngineFaultsTest.settings()).download(req, events, new Cancellation()));
        assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        assertEquals(1, events.of(DownloadEvent.Failed.class).size(), "one failed event");
        try (var left = Files.list(dir.resolve("out"))) {
            assertEquals(List.of(), left.toList(), "no partial, state or .lock file left");
        }
        return e;
    }

    @Test
    void redirectsToOtherSchemesAreRefusedOnce() throws Exception {
        origin.serve("/file", new byte[0]).rawLocation("file:///etc/passwd");
        origin.serve("/ftp", new byte[0]).rawLocation("ftp://bob:pass@ftp.example/x");
        assertTrue(refused(origin.url("/file")).getMessage().contains("file:// URL; only http and https"));
        events.all.clear();
        String ftp = refused(origin.url("/ftp")).getMessage();
        assertTrue(ftp.contains("ftp:// URL"), ftp);
        assertFalse(ftp.contains("pass"), ftp);
        assertEquals(1, origin.requests("/file"), "not retried");
        assertEquals(1, origin.requests("/ftp"), "not retried");
    }

    @Test
    void malformedLocationIsRefused() throws Exception {
        origin.serve("/bad", new byte[0]).rawLocation("http://exa mple.org/%zz");
        assertTrue(refused(origin.url("/bad")).getMessage().contains("malformed Location"));
    }

    @Test
    void unreadableContentLengthIsRefused() throws Exception {
        try (RawOrigin raw = RawOrigin.start("HTTP/1.1 200 OK\r\nContent-Length: abc", "hello".getBytes(StandardCharsets.US_ASCII))) {
            assertTrue(refused(raw.url("/f")).getMessage().contains("unreadable response header"));
            assertEquals(1, raw.requests(), "not retried");
        }
    }

    @Test
    void contentRangeTotalPastTwoToThe63IsRefused() throws Exception {
        origin.serve("/f", FaultOrigin.randomBytes(1000, 1)).contentRangeTotal("99999999999999999999");
        assertTrue(refused(origin.url("/f")).getMessage().contains("Content-Range total that is not a usable size"));
    }

    @Test
    void oversizedHeadersAreNotRetried() throws Exception {
        origin.serve("/f", FaultOrigin.randomBytes(1000, 2)).headerPadding(600 * 1024);
        assertTrue(refused(origin.url("/f")).getMessage().contains("not valid HTTP"));
        // The JDK's connection re-sends an idempotent GET once by itself when a response cannot be
        // parsed; the engine's own retries (8 by default) must not follow.
        assertTrue(origin.requests("/f") <= 2, "not retried 8 times: " + origin.requests("/f"));
    }

    @Test
    void truncatedBodyWithContentLengthIsAFailureNotASave() throws Exception {
        try (RawOrigin raw = RawOrigin.start("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close", "hello".getBytes(StandardCharsets.US_ASCII))) {
            DownloadRequest req = new DownloadRequest("f.bin", raw.url("/f"), List.of(), -1, null, dir.resolve("out/f.bin"), null);
            DepotException e = assertThrows(DepotException.class, () ->
                    new DownloadEngine(EngineFaultsTest.settings().toBuilder().retries(1).build()).download(req, events, new Cancellation()));
            assertEquals(ExitCode.FAILED, e.exitCode(), e.getMessage());
            assertFalse(Files.exists(dir.resolve("out/f.bin")));
        }
    }

    @Test
    void httpsToHttpNeedsPermission() throws Exception {
        URI from = URI.create("https://192.0.2.10/resolve/f");
        FetchException e = assertThrows(FetchException.class, () -> Redirects.next(from, "http://192.0.2.10/cdn/f", Limits.DEFAULT));
        assertEquals(FetchException.Kind.PERMANENT, e.kind);
        assertTrue(e.getMessage().contains("--allow-insecure-redirect"), e.getMessage());
        assertEquals(URI.create("http://192.0.2.10/cdn/f"), Redirects.next(from, "http://192.0.2.10/cdn/f", Limits.DEFAULT.withInsecureRedirects(true)));
        assertEquals(URI.create("https://192.0.2.10/cdn/f"), Redirects.next(from, "/cdn/f", Limits.DEFAULT));
    }

    @Test
    void aRemoteUrlMayNotRedirectToLoopback() throws Exception {
        String address = nonLoopbackAddress();
        try (FaultOrigin everywhere = FaultOrigin.start("0.0.0.0")) {
            everywhere.serve("/admin", FaultOrigin.randomBytes(1000, 3));
            everywhere.serve("/r", new byte[0]).redirectTo(everywhere.url("127.0.0.1", "/admin"));
            String m = refused(everywhere.url(address, "/r")).getMessage();
            assertTrue(m.contains("an address of this machine"), m);
            assertEquals(0, everywhere.requests("/admin"), "the local service was never asked");
        }
        URI local = URI.create("http://127.0.0.1:1/a");
        assertEquals(URI.create("http://localhost:1/b"), Redirects.next(local, "http://localhost:1/b", Limits.DEFAULT), "loopback to loopback is fine");
    }

    static String nonLoopbackAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        String message = "*** this machine has no non-loopback IPv4 address: the loopback-redirect test needs one ***";
        Requires.skipLoudlyOrFailInCi(message, "");
        return null;
    }

    @Test
    void theCommandPrintsOneSentenceAndAFailedJsonEvent() throws Exception {
        origin.serve("/file", new byte[0]).rawLocation("file:///etc/passwd");
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of();
        cmd.installSignalHook = false;
        Run r = Run.of(cmd, "--json", "--url", origin.url("/file").toString(), "-o", dir.resolve("f.bin").toString());
        assertEquals(1, r.exitCode(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        JsonNode last = Json.MAPPER.readTree(lines.get(lines.size() - 1));
        assertEquals("failed", last.get("event").asText());
        assertEquals(1, last.get("error").get("code").asInt());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("IllegalArgument"), r.err());
    }

    @Test
    void withoutAChecksumTheCommandSaysSavedNotVerified() throws Exception {
        byte[] body = FaultOrigin.randomBytes(1000, 4);
        origin.serve("/f", body);
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of();
        cmd.installSignalHook = false;
        Run r = Run.of(cmd, "--url", origin.url("/f").toString(), "-o", dir.resolve("f.bin").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("saved (no checksum given)"), r.out());
        assertFalse(r.out().contains("verified"), r.out());
    }
}
