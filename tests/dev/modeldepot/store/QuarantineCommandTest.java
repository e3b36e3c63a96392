package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Quarantine is visible: listed, counted by du, cleared on demand, and pruned after 7 days. */
class QuarantineCommandTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    @BeforeEach
    void setUp() throws Exception {
        Path q = fx.store().layout().quarantine();
        Path old = Files.write(tmp.resolve("old.gguf"), new byte[30_000]);
        Path fresh = Files.write(tmp.resolve("fresh.gguf"), new byte[20_000]);
        new Quarantine(q, Clock.fixed(Instant.now().minus(Duration.ofDays(8)), ZoneOffset.UTC))
                .put(old, "old.gguf", Map.of("file", "alpha:q4/alpha-q4.gguf", "reason", "sha256 mismatch"));
        new Quarantine(q, Clock.systemUTC()).put(fresh, "fresh.gguf", Map.of("file", "alpha:q8/alpha-q8.gguf", "reason", "wrong size"));
    }

    @Test
    void listedCountedByDuAndPrunedAfterSevenDays() throws Exception {
        Run list = fx.modelStore("quarantine", "list");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("old.gguf") && list.out().contains("sha256 mismatch") && list.out().contains("alpha:q8/alpha-q8.gguf"), list.out());

        Run du = fx.modelStore("du", "--json");
        JsonNode usage = Json.MAPPER.readTree(du.out());
        long quarantined = usage.get("quarantineBytes").asLong();
        assertTrue(quarantined >= 50_000, du.out());
        assertTrue(usage.get("bytes").asLong() >= quarantined, "du's bytes count quarantine: " + du.out());

        Run prune = fx.modelStore("prune");
        assertEquals(0, prune.exitCode(), prune.err());
        assertTrue(prune.out().contains("quarantine") && prune.out().contains("old.gguf"), prune.out());
        assertTrue(!prune.out().contains("fresh.gguf"), "a week's grace for inspection: " + prune.out());
        assertEquals(1, fx.store().quarantine().entries().size());

        Run none = fx.modelStore("quarantine", "clear", "--older-than", "1d");
        assertTrue(none.out().contains("quarantine is empty"), "nothing that old is left: " + none.out());
        Run clear = fx.modelStore("quarantine", "clear");
        assertEquals(0, clear.exitCode(), clear.err());
        assertTrue(clear.out().contains("fresh.gguf"), clear.out());
        assertEquals(0, fx.store().quarantine().entries().size());
        try (var s = Files.list(fx.store().layout().quarantine())) {
            assertEquals(0, s.count(), "the notes went with their files");
        }
    }
}
