package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.store.VariantStatus.State;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ImportTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);
    Path usb;

    @BeforeEach
    void setUp() throws Exception {
        usb = Files.createDirectories(tmp.resolve("usb"));
    }

    @Test
    void aFolderIsMatchedBySha256AcrossTheRegistryAndAdoptedWithoutChangingTheSource() throws Exception {
        Files.write(usb.resolve("renamed-weights.bin"), fx.content.get("alpha-q4.gguf"));
        Files.write(usb.resolve("mmproj.gguf"), fx.content.get("mmproj.gguf"));
        Files.writeString(usb.resolve("README.txt"), "not a model");

        Run r = fx.modelStore("import", usb.toString(), "--app", "photos");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("imported alpha:q4: complete"), r.out());
        assertTrue(r.out().contains("alpha:q8: still missing alpha-q8.gguf"), "the shared mmproj counts for q8 too: " + r.out());
        assertTrue(r.err().contains("skipped:") && r.err().contains("README.txt"), r.err());
        ModelStore store = fx.store();
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), true).state());
        assertEquals(List.of("photos"), store.meta("alpha", "q4").orElseThrow().apps());
        assertEquals(fx.registryFile.toString(), store.meta("alpha", "q4").orElseThrow().registry(), "where it was registered is recorded");
        assertEquals(0, fx.origin.gets("alpha-q4.gguf") + fx.origin.gets("mmproj.gguf"), "nothing downloaded");
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(usb.resolve("renamed-weights.bin")), "the source is left as it was");
        assertFalse(Files.isSameFile(usb.resolve("renamed-weights.bin"), store.layout().blob(fx.sha("alpha-q4.gguf"))), "copied, not linked");
    }

    @Test
    void aSingleFileWithModelAndTheUnverifiableFileByNameAndSize() throws Exception {
        Files.write(usb.resolve("beta.safetensors"), fx.content.get("beta.safetensors"));
        Files.write(usb.resolve("notes.txt"), fx.content.get("notes.txt"));
        Run r = fx.modelStore("import", usb.toString(), "--model", "beta:fp16");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(State.UNVERIFIED, fx.store().status(fx.ref("beta"), false).state());
    }

    @Test
    void aFileMatchingNothingIsRefusedWithExit1() throws Exception {
        Path stranger = usb.resolve("stranger.gguf");
        Files.write(stranger, Fixture.bytes(5_000, 42));
        Run r = fx.modelStore("import", stranger.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("matches no file in the registry"), r.err());
        assertFalse(Files.exists(fx.storeRoot.resolve("meta/alpha")), "nothing recorded");
    }

    @Test
    void aCorruptOrTruncatedCopyOfANamedFileIsRefusedWithExit3AndTheReason() throws Exception {
        byte[] flipped = fx.content.get("alpha-q4.gguf").clone();
        flipped[1000] ^= 1;
        Path bad = usb.resolve("alpha-q4.gguf");
        Files.write(bad, flipped);
        Run r = fx.modelStore("import", bad.toString(), "--model", "alpha:q4");
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("sha256") && r.err().contains("expected " + fx.sha("alpha-q4.gguf")), r.err());

        Files.write(bad, java.util.Arrays.copyOf(fx.content.get("alpha-q4.gguf"), 1000));
        Run truncated = fx.modelStore("import", bad.toString(), "--model", "alpha:q4");
        assertEquals(3, truncated.exitCode());
        assertTrue(truncated.err().contains("truncated"), truncated.err());
        assertEquals(State.MISSING, fx.store().status(fx.ref("alpha:q4"), false).state());
        assertFalse(Files.exists(fx.store().layout().blob(fx.sha("alpha-q4.gguf"))));
    }

    @Test
    void aMissingPathIsBadInput() {
        Run r = fx.modelStore("import", tmp.resolve("nope").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no such file or folder"), r.err());
    }
}
