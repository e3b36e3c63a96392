package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEngine;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadSettings;
import dev.modeldepot.download.PartialProgress;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.VariantStatus.State;
import dev.modeldepot.testing.FaultOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real interrupted download through the real engine: the engine preallocates its partial file
 * at full size, so counting its length said "partial 99%"; the store must count what the
 * partial's own record says was completed.
 */
class PartialCountTest {
    static final int MB = 1 << 20;
    @TempDir
    Path tmp;

    @Test
    void anInterruptedDownloadReadsAtWhatItReallyKept() throws Exception {
        byte[] body = FaultOrigin.randomBytes(4 * MB, 21);
        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/m.gguf", body).bytesPerSecond(2 * MB);
            VariantRef ref = OneFile.ref(OneFile.registry(tmp, "r.json", origin.url("/m.gguf"), body));
            ModelStore store = ModelStore.open(tmp.resolve("store"), Clock.systemUTC(),
                    new StoreOptions(Linker.system(), new HfCache(tmp.resolve("no-hf")), Duration.ofSeconds(20), Duration.ofSeconds(60)));
            DownloadEngine engine = new DownloadEngine(DownloadSettings.defaults(Map.of()).toBuilder().connections(2).segmentSize(MB / 4).build());
            Cancellation cancel = new Cancellation();
            // Ctrl-C once about a fifth is in, as a user would.
            assertThrows(DepotException.class, () -> store.install(ref, Fetchers.of(engine), e -> {
                if (e instanceof DownloadEvent.Progress p && p.bytes() >= body.length / 5) {
                    cancel.cancel();
                }
            }, cancel, null));

            Path partialDir = store.layout().partialDir(ref, ref.variant().files().get(0));
            long kept = PartialProgress.of(partialDir).bytes();
            try (Stream<Path> s = Files.list(partialDir)) {
                Path part = s.filter(p -> p.getFileName().toString().endsWith(".part")).findFirst().orElseThrow();
                assertEquals(body.length, Files.size(part), "the engine's partial file is preallocated at full size");
            }
            assertTrue(kept >= body.length / 5 && kept < body.length * 3 / 4, "kept " + kept + " of " + body.length);

            VariantStatus status = store.status(ref, false);
            assertEquals(State.PARTIAL, status.state());
            assertEquals(kept, status.present(), "present is the bytes actually kept");
            assertEquals(body.length - kept, status.toDownload());
            assertEquals((int) (kept * 100 / body.length), status.percent());
            assertTrue(status.percent() < 75, status.label());
            assertEquals(kept, store.partialBytes());
            assertEquals(kept, store.usage(), "usage counts the partial as kept, not at its preallocated length");
        }
    }
}
