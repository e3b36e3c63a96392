package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.CheckModelsCommand;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CheckModelsCommandTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    private Run check(String... args) {
        return check(null, args);
    }

    private Run check(FileFetcher fetcher, String... args) {
        CheckModelsCommand cmd = new CheckModelsCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = fx.env();
        if (fetcher != null) {
            cmd.fetchers = common -> fetcher;
        }
        List<String> all = new ArrayList<>(fx.args());
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    private void install(String key) throws Exception {
        fx.store().install(fx.ref(key), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
    }

    @Test
    void exit1WhenAnythingMustBeDownloadedWithATableAndTotals() {
        Run r = check();
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("alpha\\s+q4\\s+missing\\s+400 kB\\s+400 kB")), r.out());
        assertTrue(r.out().contains("beta"), "the whole registry by default: " + r.out());
        assertTrue(r.out().contains("0 of 2 ready"), r.out());
        assertTrue(r.out().contains("free disk"), r.out());
    }

    @Test
    void exit0WhenAllAreReadyAndJsonForApps() throws Exception {
        install("alpha:q4");
        Run r = check("alpha", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(true, doc.get("ready").asBoolean());
        assertEquals(0, doc.get("exitCode").asInt());
        JsonNode m = doc.get("models").get(0);
        assertEquals("alpha:q4", m.get("key").asText());
        assertEquals("ready", m.get("state").asText());
        assertEquals(0, m.get("toDownload").asLong());
        assertTrue(m.hasNonNull("verifiedAt"));
        assertTrue(doc.get("freeDisk").asLong() > 0);
    }

    @Test
    void exit3WhenAStoredFileIsCorrupt() throws Exception {
        install("alpha:q4");
        Path blob = fx.store().layout().blob(fx.sha("mmproj.gguf"));
        blob.toFile().setWritable(true);
        byte[] b = Files.readAllBytes(blob);
        b[5] ^= 1;
        Files.write(blob, b);
        Files.setLastModifiedTime(blob, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        Run r = check("--profile", "minimal");
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("corrupt"), r.out());
        assertTrue(r.out().contains("mmproj.gguf: corrupt: sha256 mismatch"), r.out());
    }

    @Test
    void partialShowsItsPercent() throws Exception {
        Path dir = fx.storeRoot.resolve("partial").resolve(fx.sha("alpha-q8.gguf"));
        Files.createDirectories(dir);
        Files.write(dir.resolve("alpha-q8.gguf.part"), new byte[100_000]);
        Run r = check("alpha:q8");
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("partial 20%"), r.out());
    }

    @Test
    void badInputIsExit2InOneSentence() {
        Run unknown = check("nosuchmodel");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown model 'nosuchmodel'"), unknown.err());
        assertEquals(2, check("alpha", "--profile", "minimal").exitCode());
        assertEquals(2, check("--yes").exitCode());
    }

    @Test
    void downloadAsksOnATerminalAndRefusesWithoutYesElsewhere() {
        Run r = check(new HttpFetcher(), "alpha", "--download");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("pass --yes"), r.err());
        assertEquals(0, fx.origin.gets("alpha-q4.gguf"));
    }

    @Test
    void downloadWithYesInstallsThroughTheFetcherAndRecordsTheApp() throws Exception {
        Run r = check(new HttpFetcher(), "alpha", "--download", "--yes", "--app", "editor");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 of 1 ready"), r.out());
        assertEquals(List.of("editor"), fx.store().meta("alpha", "q4").orElseThrow().apps());
        assertEquals(0, check("alpha").exitCode());
    }

    @Test
    void theDefaultFetcherIsTheEngineAndOfflineRefusesInOneSentence() {
        Run offline = check("alpha", "--download", "--yes", "--offline");
        assertEquals(1, offline.exitCode(), offline.err());
        assertTrue(offline.err().contains("--offline forbids downloading"), offline.err());
        assertEquals(0, fx.origin.gets("alpha-q4.gguf"));
        Run r = check("alpha", "--download", "--yes");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 of 1 ready"), r.out());
    }

    @Test
    void aBundleIsOpenedOnlyWhenAFileIsMissingSoAnUnpluggedOneDoesNotFailAReadyStore() throws Exception {
        install("alpha:q4");
        String unplugged = tmp.resolve("usb/models.tar").toString();
        Run ready = check("alpha", "--download", "--yes", "--bundle", unplugged);
        assertEquals(0, ready.exitCode(), ready.err());
        Run missing = check("beta", "--download", "--yes", "--bundle", unplugged);
        assertEquals(2, missing.exitCode(), missing.out() + missing.err());
        assertTrue(missing.err().contains("cannot read bundle"), missing.err());
    }
}
