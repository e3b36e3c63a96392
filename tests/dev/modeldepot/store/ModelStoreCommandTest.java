package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreCommandTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    private void install(String key, String app) throws Exception {
        fx.store().install(fx.ref(key), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), app);
    }

    @Test
    void listShowsStateAppsAndVerificationAsJsonAndTable() throws Exception {
        assertTrue(fx.modelStore("list").out().contains("holds no models yet"));
        install("alpha:q4", "photos");
        install("beta", null);
        Run r = fx.modelStore("list", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = Json.MAPPER.readTree(r.out());
        assertEquals(2, rows.size());
        JsonNode alpha = rows.get(0);
        assertEquals("alpha", alpha.get("id").asText());
        assertEquals("q4", alpha.get("variant").asText());
        assertEquals(400_000, alpha.get("size").asLong());
        assertEquals("ready", alpha.get("state").asText());
        assertEquals("photos", alpha.get("apps").get(0).asText());
        assertTrue(alpha.hasNonNull("lastUsed") && alpha.hasNonNull("verifiedAt"));
        assertEquals("unverified", rows.get(1).get("state").asText());
        Run table = fx.modelStore("list");
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("alpha") && l.contains("ready") && l.contains("photos")), table.out());
    }

    @Test
    void pathPrintsTheVerifiedPathOrExits1() throws Exception {
        Run missing = fx.modelStore("path", "alpha:q4");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("alpha:q4 is not ready (missing)"), missing.err());
        install("alpha:q4", null);
        Run dir = fx.modelStore("path", "alpha");
        assertEquals(0, dir.exitCode(), dir.err());
        assertEquals(fx.storeRoot.resolve("models/alpha/q4").toString(), dir.out().strip());
        Run file = fx.modelStore("path", "alpha", "--file", "mmproj.gguf");
        assertEquals(fx.storeRoot.resolve("models/alpha/q4/mmproj.gguf").toString(), file.out().strip());
        assertTrue(Files.isRegularFile(Path.of(file.out().strip())));
        assertEquals(2, fx.modelStore("path", "alpha", "--file", "nope.gguf").exitCode());
    }

    @Test
    void deleteRefusesWhileAnotherAppPinsItAndNamesTheApp() throws Exception {
        install("alpha:q4", null);
        assertEquals(0, fx.modelStore("pin", "alpha", "--app", "photos").exitCode());
        assertEquals(0, fx.modelStore(Map.of("MODELDEPOT_APP", "editor"), "pin", "alpha").exitCode(), "the app may come from MODELDEPOT_APP");
        assertEquals(List.of("editor", "photos"), fx.store().meta("alpha", "q4").orElseThrow().apps());

        Run refused = fx.modelStore("delete", "alpha", "--app", "editor");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("pinned by photos"), refused.err());
        assertTrue(Files.exists(fx.store().layout().blob(fx.sha("alpha-q4.gguf"))));

        assertEquals(0, fx.modelStore("unpin", "alpha", "--app", "photos").exitCode());
        Run deleted = fx.modelStore("delete", "alpha", "--app", "editor");
        assertEquals(0, deleted.exitCode(), deleted.err());
        assertFalse(Files.exists(fx.store().layout().blob(fx.sha("alpha-q4.gguf"))), "its blobs go with it");
        assertFalse(Files.exists(fx.storeRoot.resolve("models/alpha/q4")));
        assertEquals(1, fx.modelStore("delete", "alpha").exitCode(), "deleting what is not stored fails");
        assertEquals(2, fx.modelStore("pin", "alpha").exitCode(), "pin needs an app");
    }

    @Test
    void deleteForceAndSharedBlobsStay() throws Exception {
        install("alpha:q4", "photos");
        install("alpha:q8", null);
        assertEquals(0, fx.modelStore("delete", "alpha:q4", "--force").exitCode());
        assertFalse(Files.exists(fx.store().layout().blob(fx.sha("alpha-q4.gguf"))));
        assertTrue(Files.exists(fx.store().layout().blob(fx.sha("mmproj.gguf"))), "q8 still needs the shared projector");
        assertEquals(VariantStatus.State.READY, fx.store().status(fx.ref("alpha:q8"), true).state());
    }

    @Test
    void pruneRemovesOrphansStalePartialsThenLruUnpinnedModelsDownToTheSize() throws Exception {
        install("alpha:q8", null);     // least recently used, unpinned: goes first
        install("beta", null);         // unpinned, newer
        install("alpha:q4", "photos"); // pinned: stays
        ModelStore store = fx.store();
        Path orphan = store.layout().blobs().resolve("f".repeat(64));
        Files.write(orphan, new byte[1000]);
        Path stale = store.layout().partial().resolve("e".repeat(64));
        Files.createDirectories(stale);
        Files.write(stale.resolve("x.part"), new byte[2000]);
        Path oldTemp = store.layout().partial().resolve(".hf-" + "d".repeat(64) + "-1234");
        Files.write(oldTemp, new byte[500]);
        Files.setLastModifiedTime(oldTemp, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000));
        Path freshTemp = store.layout().partial().resolve(".hf-" + "c".repeat(64) + "-5678");
        Files.write(freshTemp, new byte[500]);

        Run dry = fx.modelStore("prune", "--max-size", "650k", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("WOULD REMOVE") && dry.out().contains("orphan-blob") && dry.out().contains("stale-partial")
                && dry.out().contains("alpha:q8"), dry.out());
        assertFalse(dry.out().contains("beta"), "q8 alone brings it under 650 kB: " + dry.out());
        assertTrue(Files.exists(orphan) && Files.exists(stale), "dry run changes nothing");
        JsonNode planned = Json.MAPPER.readTree(fx.modelStore("prune", "--max-size", "650k", "--dry-run", "--json").out());
        JsonNode model = null;
        for (JsonNode a : planned.get("actions")) {
            model = a.get("kind").asText().equals("model") ? a : model;
        }
        assertEquals("alpha", model.get("id").asText(), "a model's action names it as in docs/json.md: " + planned);
        assertEquals("q8", model.get("variant").asText());
        assertTrue(model.get("bytes").asLong() > 0 && planned.get("bytesBefore").asLong() > planned.get("bytesAfter").asLong(), planned.toString());

        Run real = fx.modelStore("prune", "--max-size", "650k");
        assertEquals(0, real.exitCode(), real.err());
        assertFalse(Files.exists(orphan));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(oldTemp), "an abandoned temp file goes");
        assertTrue(Files.exists(freshTemp), "a temp file that may belong to a running adoption stays");
        assertTrue(store.meta("alpha", "q8").isEmpty());
        assertFalse(Files.exists(store.layout().blob(fx.sha("alpha-q8.gguf"))));
        assertTrue(Files.exists(store.layout().blob(fx.sha("mmproj.gguf"))), "the pinned q4 shares the projector");
        assertTrue(store.meta("beta", "fp16").isPresent());

        Run zero = fx.modelStore("prune", "--max-size", "0");
        assertEquals(0, zero.exitCode());
        assertTrue(store.meta("beta", "fp16").isEmpty());
        assertEquals(VariantStatus.State.READY, store.status(fx.ref("alpha:q4"), true).state(), "pinned models are never pruned");
    }

    @Test
    void duShowsUsageAgainstTheBudgetAndFreeDisk() throws Exception {
        install("alpha:q4", null);
        install("alpha:q8", null);
        Run r = fx.modelStore("du", "--set-budget", "500k", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals(800_000, doc.get("bytes").asLong(), "the shared projector is counted once");
        JsonNode q8 = doc.get("models").get(1);
        assertEquals("alpha", q8.get("id").asText(), "names as in docs/json.md: " + q8);
        assertEquals("q8", q8.get("variant").asText());
        assertTrue(q8.get("bytes").asLong() > 0, doc.toString());
        assertEquals(500_000, doc.get("budget").asLong());
        assertTrue(doc.get("overBudget").asBoolean());
        assertTrue(doc.get("freeDisk").asLong() > 0);
        Run table = fx.modelStore("du");
        assertTrue(table.err().contains("over its budget"), table.err());
        assertTrue(table.out().contains("alpha:q8"), table.out());
        assertEquals(0, fx.modelStore("prune").exitCode(), "prune shrinks to the budget by default");
        assertTrue(fx.store().usage() <= 500_000);
    }
}
