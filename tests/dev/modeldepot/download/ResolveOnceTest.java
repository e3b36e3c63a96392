package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.StartedOrigins;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face-style pair of hosts on loopback: the "Hub" answers /resolve/... with a 302 to a
 * signed URL on a second "CDN" host. The Hub is asked once per file, however many ranges the
 * file takes; again only when the CDN refuses the link; the token never reaches the CDN.
 */
@ExtendWith(StartedOrigins.class)
class ResolveOnceTest {
    static final int MB = 1 << 20;
    static final String RESOLVE = "/org/model/resolve/main/model.bin";
    @TempDir
    Path dir;
    FaultOrigin hub;
    FaultOrigin cdn;
    Events events = new Events();

    private byte[] publish(int size) {
        byte[] body = FaultOrigin.randomBytes(size, size);
        cdn.serve("/xet/blob", body);
        hub.serve(RESOLVE, new byte[0]).redirectTo(cdn.url("/xet/blob?X-Amz-Signature=sig123secret"));
        return body;
    }

    private DownloadResult download(byte[] body) {
        DownloadSettings s = EngineFaultsTest.settings().toBuilder().connections(4).token("hf_tok123", null).build();
        DownloadRequest req = new DownloadRequest("model.bin", hub.url(RESOLVE), List.of(), body.length, FaultOrigin.sha256(body),
                dir.resolve("model.bin"), null);
        return new DownloadEngine(s).download(req, events, new Cancellation());
    }

    @Test
    void theHubIsAskedOncePerFileWhateverItsSize() throws Exception {
        for (int size : new int[] {6 * MB, 24 * MB}) {
            int hubBefore = hub.requests(RESOLVE);
            int cdnBefore = cdn.requests("/xet/blob");
            byte[] body = publish(size);
            Files.deleteIfExists(dir.resolve("model.bin"));
            DownloadResult r = download(body);
            assertEquals(FaultOrigin.sha256(body), r.sha256());
            int ranges = size / MB;
            assertTrue(cdn.requests("/xet/blob") - cdnBefore >= ranges, "every 1 MB segment came from the CDN");
            assertTrue(hub.requests(RESOLVE) - hubBefore <= 2, size / MB + " MB in " + ranges + " ranges took "
                    + (hub.requests(RESOLVE) - hubBefore) + " Hub requests");
        }
        hub.recorded(RESOLVE).forEach(q -> assertEquals("Bearer hf_tok123", q.header("Authorization"), "the token goes to the Hub"));
        cdn.recorded("/xet/blob").forEach(q -> assertNull(q.header("Authorization"), "the token never reaches the CDN"));
    }

    @Test
    void aRefusedLinkIsResolvedAgainOnce() throws Exception {
        byte[] body = publish(8 * MB);
        cdn.serve("/xet/blob", body).failAfterProbeWith(403, 1, null); // the signed link "expired" after the probe
        DownloadResult r = download(body);
        assertEquals(FaultOrigin.sha256(body), r.sha256());
        assertEquals(2, hub.requests(RESOLVE), "one resolve, one more after the 403");
        cdn.recorded("/xet/blob").forEach(q -> assertNull(q.header("Authorization")));
    }

    @Test
    void aLinkRefusedForGoodFailsWithoutHammeringTheHub() throws Exception {
        byte[] body = publish(4 * MB);
        cdn.serve("/xet/blob", body).failAfterProbeWith(403, 1000, null);
        DepotException e = assertThrows(DepotException.class, () -> download(body));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        assertTrue(hub.requests(RESOLVE) <= 1 + ResolvedLink.MAX_REFRESHES, hub.requests(RESOLVE) + " Hub requests");
        assertTrue(Files.notExists(dir.resolve("model.bin")));
    }

    @Test
    void signedLinksSayWhenTheyExpire() {
        assertEquals(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli() + 3600_000, ResolvedLink.expiry(URI.create(
                "https://cas-bridge.example/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261201T100000Z&X-Amz-Expires=3600&X-Amz-Signature=abc")));
        assertEquals(1_700_000_000_000L, ResolvedLink.expiry(URI.create("https://cdn.example/x?Expires=1700000000&Signature=abc")));
        assertEquals(-1, ResolvedLink.expiry(URI.create("https://cdn.example/x")));
        assertEquals(-1, ResolvedLink.expiry(URI.create("https://cdn.example/x?Expires=soon")));
    }
}
