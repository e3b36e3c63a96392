package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import dev.modeldepot.testing.StartedOrigins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, Medium 7, the command's side: a mixed-case URL with a password and a signature never
 * reaches --json, stderr or the .part.json a resume reads (the service's side is in
 * HostileOriginServiceTest).
 */
@ExtendWith(StartedOrigins.class)
class RedactionEverywhereTest {
    static final int MB = 1 << 20;
    @TempDir
    Path dir;
    FaultOrigin origin;

    @Test
    void jsonStderrAndStateFileCarryNoSecret() throws Exception {
        byte[] body = FaultOrigin.randomBytes(8 * MB, 1);
        origin.serve("/f", body).dropAfter(MB / 2, 1000).failWith(503, 1, "0");
        String url = "HTTP://alice:PASSWD@127.0.0.1:" + origin.port() + "/f?X-Amz-Signature=SIGSECRET&X-Amz-Credential=CREDSECRET";
        DownloadCommand cmd = new DownloadCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of();
        cmd.installSignalHook = false;
        Run r = Run.of(cmd, "--json", "--connections", "2", "--retries", "1", "--url", url, "-o", dir.resolve("f.bin").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("gave up"), r.err());
        assertTrue(r.out().contains("\"retry\""), "the 503 produced a retry event naming the URL: " + r.out());
        List<String> everything = new ArrayList<>(List.of(r.out(), r.err()));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                everything.add(p + ": " + Files.readString(p));
            }
        }
        assertTrue(everything.stream().anyMatch(t -> t.contains(".part.json") && t.contains("REDACTED")), "the state file was read: " + everything);
        for (String text : everything) {
            for (String secret : List.of("PASSWD", "alice", "SIGSECRET", "CREDSECRET")) {
                assertFalse(text.contains(secret), secret + " leaked: " + text);
            }
        }
    }
}
