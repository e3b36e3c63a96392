package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.ModelFiles;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path dir;

    private StoreFixture fx;
    private Path store;
    private Path weights;
    private Path mmproj;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StoreFixture(dir);
        fx.install("llava:q4");
        store = fx.root;
        weights = fx.blob("llava:q4", "llava.Q4.gguf");
        mmproj = fx.blob("llava:q4", "mmproj.gguf");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Run run(String... args) {
        return fx.verify(args);
    }

    private static JsonNode json(Run run) throws Exception {
        return Json.MAPPER.readTree(run.out());
    }

    @Test
    void verifiesAStoreVariantThenTrustsStamps() throws Exception {
        StoreFixture.touch(weights);
        StoreFixture.touch(mmproj);
        StoreFixture.touch(fx.blob("llava:q4", "config.json"));
        Run first = run("llava:q4", "--json");
        assertEquals(0, first.exitCode(), first.err());
        JsonNode report = json(first);
        assertEquals(3, report.at("/summary/files").asInt());
        assertEquals(2, report.at("/summary/ok").asInt());
        assertEquals(1, report.at("/summary/unverifiable").asInt());
        JsonNode f = report.at("/files/0");
        assertEquals("llava", f.get("id").asText());
        assertEquals("q4", f.get("variant").asText());
        assertEquals("llava.Q4.gguf", f.get("file").asText());
        assertEquals("ready", f.get("state").asText());
        assertEquals(ModelFiles.sha256(weights), f.at("/expected/sha256").asText());
        assertEquals(ModelFiles.sha256(weights), f.at("/actual/sha256").asText());
        assertEquals(Files.size(weights), f.get("bytes").asLong());
        assertEquals(Files.size(weights), f.get("total").asLong());
        assertTrue(f.at("/format/ok").asBoolean() && f.at("/format/checked").asBoolean());
        assertFalse(f.get("fromStamp").asBoolean(), "the install's stamps were invalidated by the touch");
        assertEquals(weights.toString(), f.get("path").asText(), "store files are verified at their blob");
        assertFalse(Files.exists(store.resolve(".modeldepot")), "stamps live in the store's metadata, not in a folder of their own");
        assertTrue(fx.store().stamps(fx.ref("llava:q4")).get("llava.Q4.gguf").stillMatches(weights));

        JsonNode again = json(run("llava", "--json"));
        assertTrue(again.at("/files/0/fromStamp").asBoolean());
        assertFalse(json(run("llava", "--json", "--deep")).at("/files/0/fromStamp").asBoolean());
    }

    @Test
    void corruptStoreFileIsExit3WithExpectedAndActual() throws Exception {
        StoreFixture.corrupt(mmproj);
        Run r = run("llava:q4");
        assertEquals(3, r.exitCode());
        assertTrue(r.out().contains("HASH_MISMATCH") && r.out().contains("llava:q4/mmproj.gguf"), r.out());
        assertTrue(r.out().contains("expected sha256 ") && r.out().contains("actual   sha256 "), r.out());
        assertTrue(r.out().contains("1 corrupt"), r.out());
        assertTrue(Files.exists(mmproj), "without --quarantine, --delete or --repair a corrupt store file is reported, not moved");
    }

    @Test
    void missingFilesAreExit1AndTruncatedOnesExit3() throws Exception {
        Run missing = run("--profile", "vision", "--json");
        assertEquals(1, missing.exitCode());
        assertEquals("MISSING", json(missing).at("/files/3/verdict").asText());
        weights.toFile().setWritable(true);
        ModelFiles.truncate(weights, 1000);
        Run both = run("--profile", "vision", "--json");
        assertEquals(3, both.exitCode());
        assertEquals("WRONG_SIZE", json(both).at("/files/0/verdict").asText());
    }

    @Test
    void allMeansEveryVariantPresentInTheStore() throws Exception {
        Run r = run("--all", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode files = json(r).get("files");
        assertEquals(3, files.size());
        files.forEach(f -> assertEquals("llava", f.get("id").asText()));
    }

    @Test
    void badInputIsExit2WithOneSentence() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("nosuchmodel"), List.of("llava:q9"), List.of("--profile", "nope"),
                List.of("--file", "x.gguf", "--sha256", "xyz"), List.of("llava", "--file", "x.gguf"),
                List.of("--file", "x", "--quarantine", "--delete"), List.of("llava", "--repair", "--delete"),
                List.of("--file", "x", "--repair"), List.of("--file", "x", "--repair", "--url", "http://127.0.0.1:9/x"),
                List.of("llava", "--url", "http://127.0.0.1:9/x"), List.of("--sums", "x", "--repair"),
                List.of("--sums", dir.resolve("absent").toString()), List.of("--registry-entries", "--file", "x"),
                List.of("--file", "a.gguf", "--file", "b.gguf", "--sha256", "a".repeat(64)),
                List.of("llava", "--all"), List.of("--profile", "vision", "clip"),
                List.of("--generate", dir.toString(), "--report", dir.resolve("r.json").toString()))) {
            Run r = run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), args + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void adHocFileWithChecksumFormatAndReport() throws Exception {
        Path f = ModelFiles.safetensors(dir.resolve("dl/model.safetensors"), 80_000);
        Path report = dir.resolve("reports/report.json");
        Run ok = run("--file", f.toString(), "--sha256", ModelFiles.sha256(f).toUpperCase(), "--report", report.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("OK") && ok.out().contains("safetensors ok"), ok.out());
        JsonNode written = Json.MAPPER.readTree(report.toFile());
        assertEquals("OK", written.at("/files/0/verdict").asText());
        assertTrue(written.get("ok").asBoolean());
        assertTrue(Files.isRegularFile(store.resolve("meta/file-stamps.json")), "ad-hoc stamps live in the store's metadata area");
        assertEquals(List.of("model.safetensors"), Files.list(f.getParent()).map(p -> p.getFileName().toString()).toList(),
                "nothing is written beside an ad-hoc file");

        Run mislabelled = run("--file", f.toString(), "--format", "gguf");
        assertEquals(3, mislabelled.exitCode());
        assertTrue(mislabelled.out().contains("BAD_FORMAT") && mislabelled.out().contains("GGUF magic"), mislabelled.out());
    }

    @Test
    void anUnwritableStoreOnlyCostsTheStampsWithAWarning() throws Exception {
        Path f = ModelFiles.onnx(dir.resolve("dl/m.onnx"));
        // A store root under a regular file cannot be created, even by root.
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        Run r = Run.of(new VerifyCommand(), "--cache-dir", blocker.resolve("store").toString(), "--file", f.toString(),
                "--sha256", ModelFiles.sha256(f));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("could not save stamps") && r.err().contains("the next check will re-hash"), r.err());
    }

    @Test
    void severalFilesAtOnceKeepTheirOrder() throws Exception {
        Path a = ModelFiles.onnx(dir.resolve("dl/a.onnx"));
        Path b = ModelFiles.torchZip(dir.resolve("dl/b.pt"), 100);
        Run r = run("--file", a.toString(), "--file", b.toString(), "--file", dir.resolve("dl/c.gguf").toString(), "--json");
        assertEquals(1, r.exitCode());
        JsonNode files = json(r).get("files");
        assertEquals(List.of("UNVERIFIABLE", "UNVERIFIABLE", "MISSING"),
                List.of(files.get(0).get("verdict").asText(), files.get(1).get("verdict").asText(), files.get(2).get("verdict").asText()));
        assertEquals(b.toString(), files.get(1).get("path").asText());
    }

    @Test
    void quarantineMovesACorruptFileAsideWithANote() throws Exception {
        Path f = ModelFiles.gguf(dir.resolve("dl/model.gguf"), 100_000);
        ModelFiles.truncate(f, 60_000);
        Run r = run("--file", f.toString(), "--quarantine", "--json");
        assertEquals(3, r.exitCode());
        assertFalse(Files.exists(f));
        List<Path> moved;
        try (Stream<Path> s = Files.list(store.resolve("quarantine"))) {
            moved = s.sorted().toList();
        }
        assertEquals(2, moved.size(), moved.toString());
        Path note = moved.stream().filter(p -> p.toString().endsWith(".why.json")).findFirst().orElseThrow();
        Path file = moved.stream().filter(p -> !p.equals(note)).findFirst().orElseThrow();
        assertEquals(60_000, Files.size(file));
        assertTrue(file.getFileName().toString().endsWith("-model.gguf"));
        JsonNode why = Json.MAPPER.readTree(note.toFile());
        assertEquals("BAD_FORMAT", why.get("verdict").asText());
        assertEquals(f.toAbsolutePath().toString(), why.get("originalPath").asText());
        assertTrue(why.get("detail").asText().contains("truncated"));
        assertTrue(json(r).at("/files/0/action").asText().startsWith("quarantined to "));
    }

    @Test
    void deleteRemovesOnlyCorruptFiles() throws Exception {
        Path good = ModelFiles.gguf(dir.resolve("dl/good.gguf"), 50_000);
        Run keep = run("--file", good.toString(), "--delete");
        assertEquals(0, keep.exitCode());
        assertTrue(Files.exists(good));
        Run gone = run("--file", good.toString(), "--sha256", "d".repeat(64), "--delete");
        assertEquals(3, gone.exitCode());
        assertFalse(Files.exists(good));
        assertTrue(gone.out().contains("deleted"), gone.out());
    }

    @Test
    void generateWithRegistryEntriesPrintsPasteableEntries() throws Exception {
        Path release = dir.resolve("release");
        ModelFiles.gguf(release.resolve("model.Q4_K_M.gguf"), 100_000);
        ModelFiles.json(release.resolve("tokenizer.json"), "{\"model\":{}}");
        Files.write(release.resolve("LICENSE"), "text".getBytes());
        Run r = run("--generate", release.toString(), "--registry-entries");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode entries = Json.MAPPER.readTree(r.out());
        assertEquals(3, entries.size());
        assertEquals("LICENSE", entries.get(0).get("path").asText());
        assertTrue(entries.get(0).get("format").isNull());
        assertEquals("model.Q4_K_M.gguf", entries.get(1).get("path").asText());
        assertEquals("gguf", entries.get(1).get("format").asText());
        assertEquals(ModelFiles.sha256(release.resolve("model.Q4_K_M.gguf")), entries.get(1).get("sha256").asText());
        assertEquals(Files.size(release.resolve("tokenizer.json")), entries.get(2).get("size").asLong());
        assertTrue(Files.readString(release.resolve("SHA256SUMS")).contains("  tokenizer.json\n"));
        assertTrue(r.err().contains("wrote "), r.err());
    }

    @Test
    void generateWarnsAboutStructurallyBrokenFiles() throws Exception {
        Path release = dir.resolve("release");
        ModelFiles.json(release.resolve("config.json"), "{\"cut\": ");
        Run r = run("--generate", release.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("config.json: not a valid json file"), r.err());
        assertTrue(Files.exists(release.resolve("SHA256SUMS")));
    }
}
