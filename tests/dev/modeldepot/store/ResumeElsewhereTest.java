package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.modeldepot.testing.FaultOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partial belongs to its file (expected SHA-256), not to its URL: interrupted from one origin,
 * the download resumes from a second origin on another port (as when the demo's origin moves, a
 * signed query is renewed or the registry points at a mirror), after the new server shows it has
 * the same bytes, and says how it knew.
 */
class ResumeElsewhereTest {
    static final int MB = 1 << 20;
    @TempDir
    Path tmp;

    private final byte[] body = FaultOrigin.randomBytes(4 * MB, 33);
    private final List<String> notes = new CopyOnWriteArrayList<>();

    private ModelStore store() {
        return ModelStore.open(tmp.resolve("store"), Clock.systemUTC(),
                new StoreOptions(Linker.system(), new HfCache(tmp.resolve("no-hf")), Duration.ofSeconds(20), Duration.ofSeconds(60)));
    }

    private static DownloadEngine engine() {
        return new DownloadEngine(DownloadSettings.defaults(Map.of()).toBuilder().connections(2).segmentSize(MB / 2).build());
    }

    /** Starts from the first origin and stops once a third is in, like Ctrl-C. */
    private long interruptedFrom(FaultOrigin first) throws Exception {
        first.serve("/m.gguf", body).bytesPerSecond(2 * MB);
        VariantRef ref = OneFile.ref(OneFile.registry(tmp, "first.json", first.url("/m.gguf"), body));
        Cancellation cancel = new Cancellation();
        assertThrows(DepotException.class, () -> store().install(ref, Fetchers.of(engine()), e -> {
            if (e instanceof DownloadEvent.Progress p && p.bytes() >= body.length / 3) {
                cancel.cancel();
            }
        }, cancel, null));
        long kept = PartialProgress.of(store().layout().partialDir(ref, ref.variant().files().get(0))).bytes();
        assertTrue(kept >= MB, "kept " + kept);
        return kept;
    }

    private void resumeFrom(FaultOrigin second) throws Exception {
        VariantRef ref = OneFile.ref(OneFile.registry(tmp, "second.json", second.url("/m.gguf?X-Amz-Signature=fresh"), body));
        store().install(ref, Fetchers.of(engine()), e -> {
            if (e instanceof DownloadEvent.Retry r) {
                notes.add(r.reason());
            }
        }, new Cancellation(), null);
        assertArrayEquals(body, Files.readAllBytes(tmp.resolve("store/models/m/q/m.gguf")));
    }

    @Test
    void aNewOriginWithTheSameETagResumesWithIfRange() throws Exception {
        try (FaultOrigin first = FaultOrigin.start(); FaultOrigin second = FaultOrigin.start()) {
            long kept = interruptedFrom(first);
            second.serve("/m.gguf", body); // FaultOrigin's ETag comes from the bytes: the same on both
            resumeFrom(second);
            assertTrue(notes.stream().anyMatch(n -> n.contains("ETag matches")), notes.toString());
            assertTrue(second.bytesSent("/m.gguf") <= body.length - kept + 1, "only the missing bytes: " + second.bytesSent("/m.gguf"));
            assertTrue(second.recorded("/m.gguf").stream().filter(r -> r.header("Range") != null && !"bytes=0-0".equals(r.header("Range")))
                    .allMatch(r -> r.header("If-Range") != null), "every range carried If-Range");
        }
    }

    @Test
    void aNewOriginWithAnotherETagIsCheckedOnOneOverlappingRange() throws Exception {
        try (FaultOrigin first = FaultOrigin.start(); FaultOrigin second = FaultOrigin.start()) {
            long kept = interruptedFrom(first);
            second.serve("/m.gguf", body).etag("\"mirror-7\"");
            resumeFrom(second);
            assertTrue(notes.stream().anyMatch(n -> n.contains("fetched again and match")), notes.toString());
            assertTrue(second.bytesSent("/m.gguf") <= body.length - kept + 64 * 1024 + 1,
                    "the missing bytes plus one overlapping range: " + second.bytesSent("/m.gguf") + " of " + body.length);
        }
    }

    @Test
    void aNewOriginWithOtherBytesStartsOver() throws Exception {
        try (FaultOrigin first = FaultOrigin.start(); FaultOrigin second = FaultOrigin.start()) {
            interruptedFrom(first);
            second.serve("/m.gguf", FaultOrigin.randomBytes(body.length, 34)).etag("\"other\"");
            VariantRef ref = OneFile.ref(OneFile.registry(tmp, "second.json", second.url("/m.gguf"), body));
            DepotException e = assertThrows(DepotException.class, () -> store().install(ref, Fetchers.of(engine()), ev -> {
                if (ev instanceof DownloadEvent.Retry r) {
                    notes.add(r.reason());
                }
            }, new Cancellation(), null));
            assertEquals(3, e.exitCode().code, "other bytes never pass: " + e.getMessage());
            assertTrue(notes.stream().anyMatch(n -> n.contains("does not confirm; starting over")), notes.toString());
        }
    }
}
