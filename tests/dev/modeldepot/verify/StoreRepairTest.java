package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.store.Quarantine;
import dev.modeldepot.testing.ModelFiles;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-model-integrity and the store as one product: shared stamps, corrupt verdicts, quarantine, repair. */
class StoreRepairTest {
    private static final Instant VERIFY_TIME = Instant.parse("2021-03-04T05:06:07Z");

    @TempDir
    Path dir;
    StoreFixture fx;
    Path mmproj;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StoreFixture(dir);
        fx.install("llava:q4");
        mmproj = fx.blob("llava:q4", "mmproj.gguf");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static JsonNode json(Run r) throws Exception {
        return Json.MAPPER.readTree(r.out());
    }

    private Instant storedStampTime(String path) {
        return fx.store().stamps(fx.ref("llava:q4")).get(path).verifiedAt();
    }

    @Test
    void aBitFlippedBlobIsExit3CheckModelsSaysCorruptAndRepairFetchesItAgain() throws Exception {
        StoreFixture.corrupt(mmproj);
        Run verify = fx.verify("llava:q4", "--json");
        assertEquals(3, verify.exitCode(), verify.err());
        JsonNode f = json(verify).at("/files/1");
        assertEquals("HASH_MISMATCH", f.get("verdict").asText());
        assertEquals("llava", f.get("id").asText(), "names as in docs/json.md: " + f);
        assertEquals("q4", f.get("variant").asText());
        assertEquals("mmproj.gguf", f.get("file").asText());
        assertEquals("corrupt", f.get("state").asText());
        assertEquals(Files.size(fx.srcMmproj), f.get("total").asLong());
        assertEquals(ModelFiles.sha256(fx.srcMmproj), f.at("/expected/sha256").asText());
        assertEquals(ModelFiles.sha256(mmproj), f.at("/actual/sha256").asText());
        assertEquals(Files.size(mmproj), f.get("bytes").asLong());
        assertEquals("ready", json(verify).at("/files/0/state").asText());

        Run check = fx.checkModels("llava");
        assertEquals(3, check.exitCode(), check.out() + check.err());
        assertTrue(check.out().lines().anyMatch(l -> l.matches("llava\\s+q4\\s+corrupt.*")), check.out());
        assertTrue(check.out().contains("llava:q4/mmproj.gguf: corrupt: sha256 mismatch"), check.out());

        int served = fx.origin.requests("/mmproj.gguf");
        Run repair = fx.verify("llava:q4", "--repair");
        assertEquals(0, repair.exitCode(), repair.out() + repair.err());
        assertTrue(repair.out().contains("repaired: fetched again and verified"), repair.out());
        assertTrue(repair.err().contains("fetched llava:q4/mmproj.gguf"), repair.err());
        assertFalse(repair.err().contains("fetched llava:q4/llava.Q4.gguf"), "the good file was not fetched, so not said to be: " + repair.err());
        assertFalse(repair.err().contains("fetched llava:q4/config.json"), repair.err());
        assertTrue(fx.origin.requests("/mmproj.gguf") > served, "the origin served the file again");
        assertEquals(ModelFiles.sha256(fx.srcMmproj), ModelFiles.sha256(fx.blob("llava:q4", "mmproj.gguf")));
        assertArrayEquals(Files.readAllBytes(fx.srcMmproj), Files.readAllBytes(fx.readable("llava:q4", "mmproj.gguf")),
                "the readable path is relinked to the good blob, not left on the old bytes");
        assertEquals(0, fx.checkModels("llava").exitCode());
        try (Stream<Path> q = Files.list(fx.root.resolve("quarantine"))) {
            assertTrue(q.anyMatch(p -> p.toString().endsWith(".why.json")), "the install moved the bad blob aside with a note");
        }
    }

    @Test
    void aCorruptVerdictIsRememberedSoCheckModelsNeverReportsSilentRotAsReady() throws Exception {
        StoreFixture.rot(mmproj); // same size, same mtime: only a full pass can see it
        assertEquals(0, fx.checkModels("llava").exitCode(), "an unchanged-looking blob is trusted by its stamp");
        assertEquals(3, fx.verify("llava:q4", "--deep").exitCode());
        Run check = fx.checkModels("llava");
        assertEquals(3, check.exitCode(), "the deep pass's verdict is recorded in the store: " + check.out());
        assertTrue(check.out().contains("unchanged since"), "known without hashing again: " + check.out());
        assertTrue(fx.store().path(fx.ref("llava:q4")).isEmpty(), "the store no longer hands the variant out");
    }

    @Test
    void quarantineMovesTheBlobAsideWithAWhyNoteAndUnlinksIt() throws Exception {
        Path readable = fx.readable("llava:q4", "mmproj.gguf");
        StoreFixture.corrupt(mmproj);
        Run r = fx.verify("llava:q4", "--quarantine", "--json");
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(json(r).at("/files/1/action").asText().startsWith("quarantined to "), r.out());
        assertFalse(Files.exists(mmproj));
        assertFalse(Files.exists(readable), "no app can open the corrupt bytes through a hard link");
        List<Path> moved;
        try (Stream<Path> s = Files.list(fx.root.resolve("quarantine"))) {
            moved = s.sorted().toList();
        }
        Path file = moved.stream().filter(p -> !p.toString().endsWith(".why.json")).findFirst().orElseThrow();
        JsonNode why = Json.MAPPER.readTree(Quarantine.note(file).toFile());
        assertEquals("llava", why.get("id").asText());
        assertEquals("q4", why.get("variant").asText());
        assertEquals("mmproj.gguf", why.get("file").asText());
        assertEquals("HASH_MISMATCH", why.get("verdict").asText());
        assertEquals(ModelFiles.sha256(fx.srcMmproj), why.at("/expected/sha256").asText());
        assertEquals(ModelFiles.sha256(file), why.at("/actual/sha256").asText());
        assertEquals(mmproj.toString(), why.get("originalPath").asText());

        Run check = fx.checkModels("llava");
        assertEquals(1, check.exitCode(), "moved aside, the file is missing: " + check.out());
        Run repair = fx.verify("llava:q4", "--repair");
        assertEquals(0, repair.exitCode(), repair.out() + repair.err());
        assertEquals(0, fx.checkModels("llava").exitCode());
    }

    @Test
    void deleteRemovesTheBlob() throws Exception {
        StoreFixture.corrupt(mmproj);
        Run r = fx.verify("llava:q4", "--delete");
        assertEquals(3, r.exitCode());
        assertTrue(r.out().contains("deleted"), r.out());
        assertFalse(Files.exists(mmproj));
        assertEquals(1, fx.checkModels("llava").exitCode());
    }

    @Test
    void aFailedRepairIsExit3AndSaysWhy() throws Exception {
        StoreFixture.corrupt(mmproj);
        fx.origin.serve("/mmproj.gguf", FaultOrigin_bytes());
        Run r = fx.verify("llava:q4", "--repair");
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("repair failed"), r.out());
    }

    private static byte[] FaultOrigin_bytes() {
        return dev.modeldepot.testing.FaultOrigin.randomBytes(100_000, 99);
    }

    @Test
    void aFullVerifyMakesCheckModelsTrustTheStampAndViceVersa() throws Exception {
        Path weights = fx.blob("llava:q4", "llava.Q4.gguf");
        StoreFixture.touch(weights);
        Run verify = fx.verify(Clock.fixed(VERIFY_TIME, ZoneOffset.UTC), "llava:q4", "--json");
        assertEquals(0, verify.exitCode(), verify.err());
        assertFalse(json(verify).at("/files/0/fromStamp").asBoolean(), "the touch invalidated the install's stamp");
        assertTrue(json(verify).at("/files/1/fromStamp").asBoolean(), "the install's stamp of the untouched projector is trusted");
        assertEquals(VERIFY_TIME, storedStampTime("llava.Q4.gguf"));

        Run check = fx.checkModels("llava", "--json");
        assertEquals(0, check.exitCode(), check.err());
        assertEquals(VERIFY_TIME, storedStampTime("llava.Q4.gguf"), "check-models trusted verify's stamp: no re-hash, no new stamp");
        assertEquals(VERIFY_TIME.toString(), json(check).at("/models/0/verifiedAt").asText());

        StoreFixture.touch(weights);
        assertEquals(0, fx.checkModels("llava").exitCode());
        Instant checked = storedStampTime("llava.Q4.gguf");
        assertTrue(checked.isAfter(VERIFY_TIME), "check-models hashed the touched blob and stamped it");
        Run again = fx.verify("llava:q4", "--json");
        assertTrue(json(again).at("/files/0/fromStamp").asBoolean(), "verify trusts check-models' stamp");
        assertEquals(checked, storedStampTime("llava.Q4.gguf"));
    }

    @Test
    void allVerifiesWhatTheStoreHolds() throws Exception {
        Run r = fx.verify("--all", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(3, json(r).get("files").size());
    }
}
