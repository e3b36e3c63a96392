package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.store.VariantStatus.State;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a metadata document is believed only at its own path. A copy of a pinned variant's
 * document placed elsewhere, with its apps removed and an old last-used time, used to make prune
 * delete the pinned variant.
 */
class ForgedMetadataTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    @BeforeEach
    void setUp() throws Exception {
        fx.store().install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), "photos");
    }

    /** The pinned document, copied to meta/FOLDER/NAME.json with no apps and a last use in 2000. */
    private Path forge(String folder, String name) throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(fx.storeRoot.resolve("meta/alpha/q4.json").toFile());
        doc.putArray("apps");
        doc.put("lastUsed", "2000-01-01T00:00:00Z");
        Path forged = fx.storeRoot.resolve("meta").resolve(folder).resolve(name + ".json");
        Files.createDirectories(forged.getParent());
        Files.writeString(forged, Json.pretty(doc));
        return forged;
    }

    private void assertAlphaStillThere() {
        assertEquals(State.READY, fx.store().status(fx.ref("alpha:q4"), true).state(), "the pinned variant is whole");
        assertEquals(List.of("photos"), fx.store().meta("alpha", "q4").orElseThrow().apps());
    }

    @Test
    void aCopiedDocumentUnderAnotherNameDoesNotUnpinForPrune() throws Exception {
        forge("zzz", "q4");
        Run prune = fx.modelStore("prune", "--max-size", "1K");
        assertEquals(0, prune.exitCode(), prune.out() + prune.err());
        assertAlphaStillThere();
        assertTrue(prune.err().contains("ignored meta/zzz/q4.json: it describes alpha:q4, not zzz:q4"), prune.err());
        assertAlphaStillThere();

        Run list = fx.modelStore("list");
        assertEquals(1, list.out().lines().filter(l -> l.matches("alpha\\s+q4\\s.*photos.*")).count(), "listed once, from its own document: " + list.out());
        assertTrue(list.out().lines().noneMatch(l -> l.startsWith("zzz")), list.out());
        assertTrue(list.err().contains("ignored meta/zzz/q4.json"), list.err());
    }

    @Test
    void aCopyUnderTheRightModelButAnotherVariantNameIsIgnoredToo() throws Exception {
        forge("alpha", "q8");
        Run prune = fx.modelStore("prune", "--max-size", "1K");
        assertEquals(0, prune.exitCode(), prune.out() + prune.err());
        assertTrue(prune.err().contains("ignored meta/alpha/q8.json: it describes alpha:q4, not alpha:q8"), prune.err());
        assertAlphaStillThere();
    }
}
