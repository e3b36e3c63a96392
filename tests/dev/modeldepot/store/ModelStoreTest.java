package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.VariantStatus.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);

    private Path install(ModelStore store, String key, String app) throws Exception {
        return store.install(fx.ref(key), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), app);
    }

    @Test
    void installMakesAReadOnlyBlobALinkedReadablePathAndRedactedMetadata() throws Exception {
        ModelStore store = fx.store();
        assertEquals(State.MISSING, store.status(fx.ref("alpha:q4"), false).state());
        Path dir = install(store, "alpha:q4", "app-one");

        Path blob = store.layout().blob(fx.sha("alpha-q4.gguf"));
        Path readable = dir.resolve("alpha-q4.gguf");
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(readable));
        assertTrue(Files.isSameFile(blob, readable), "the readable path is a hard link to the blob");
        // Checked on the mode bits: a root user may write anything, so isWritable would say yes.
        assertFalse(Files.getPosixFilePermissions(blob).stream().anyMatch(p -> p.name().endsWith("_WRITE")), "verified blobs are read-only");
        VariantStatus status = store.status(fx.ref("alpha:q4"), false);
        assertEquals(State.READY, status.state());
        assertEquals(0, status.toDownload());

        String meta = Files.readString(store.layout().metaFile("alpha", "q4"));
        assertFalse(meta.contains("s3cr3t"), "the signed query never reaches the metadata: " + meta);
        assertTrue(meta.contains("REDACTED"));
        VariantMeta doc = store.meta("alpha", "q4").orElseThrow();
        assertEquals(List.of("app-one"), doc.apps());
        assertEquals(VariantMeta.COMPLETE, doc.state());
        assertEquals(new VariantMeta.Mmproj("alpha-q4.gguf", "mmproj.gguf"), doc.mmproj());
        assertEquals("hardlink", doc.file("mmproj.gguf").orElseThrow().link());
        assertTrue(doc.file("alpha-q4.gguf").orElseThrow().etag() != null, "the ETag is recorded");
        assertTrue(Files.list(store.layout().partial()).findAny().isEmpty(), "no partial left behind");
    }

    @Test
    void aFileSharedByTwoVariantsIsStoredAndDownloadedOnce() throws Exception {
        ModelStore store = fx.store();
        install(store, "alpha:q4", null);
        install(store, "alpha:q8", null);
        assertEquals(1, fx.origin.gets("mmproj.gguf"));
        assertEquals(3, Files.list(store.layout().blobs()).count());
        assertEquals(State.READY, store.status(fx.ref("alpha:q8"), false).state());
    }

    @Test
    void unchangedFilesAreTrustedByStampAndDeepHashesAgain() throws Exception {
        ModelStore store = fx.store();
        install(store, "alpha:q4", null);
        Path blob = store.layout().blob(fx.sha("mmproj.gguf"));
        FileTime mtime = Files.getLastModifiedTime(blob);
        // Flip bytes in place and restore the mtime: size, mtime and inode match the stamp.
        blob.toFile().setWritable(true);
        byte[] bad = Files.readAllBytes(blob);
        bad[10] ^= 1;
        Files.write(blob, bad);
        Files.setLastModifiedTime(blob, mtime);

        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state(), "an unchanged stamp is not re-hashed");
        VariantStatus deep = store.status(fx.ref("alpha:q4"), true);
        assertEquals(State.CORRUPT, deep.state());
        assertTrue(deep.files().stream().anyMatch(f -> f.detail() != null && f.detail().startsWith("sha256 mismatch")));
    }

    @Test
    void aChangedBlobIsCorruptAndInstallQuarantinesAndRepairsIt() throws Exception {
        ModelStore store = fx.store();
        install(store, "alpha:q4", null);
        Path blob = store.layout().blob(fx.sha("alpha-q4.gguf"));
        blob.toFile().setWritable(true);
        byte[] bad = Files.readAllBytes(blob);
        bad[0] ^= 1;
        Files.write(blob, bad);
        Files.setLastModifiedTime(blob, FileTime.fromMillis(Files.getLastModifiedTime(blob).toMillis() + 5000));

        assertEquals(State.CORRUPT, store.status(fx.ref("alpha:q4"), false).state());
        install(store, "alpha:q4", null);
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state());
        assertEquals(2, Files.list(store.layout().quarantine()).count(), "the corrupt blob is kept in quarantine, with its note");
        assertEquals(1, Files.list(store.layout().quarantine()).filter(p -> p.toString().endsWith(".why.json")).count());
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(store.layout().variantDir("alpha", "q4").resolve("alpha-q4.gguf")));
    }

    @Test
    void partialAndOutdatedAndUnverifiedStates() throws Exception {
        ModelStore store = fx.store();
        VariantRef q8 = fx.ref("alpha:q8");
        Path partialDir = store.layout().partialDir(q8, q8.variant().file("alpha-q8.gguf").orElseThrow());
        Files.createDirectories(partialDir);
        Files.write(partialDir.resolve("alpha-q8.gguf.part"), new byte[250_000]);
        VariantStatus partial = store.status(q8, false);
        assertEquals(State.PARTIAL, partial.state());
        assertEquals("partial 50%", partial.label());
        assertEquals(250_000, partial.toDownload());

        install(store, "alpha:q4", null);
        VariantRef q4v2 = fx.registryV2().resolve("alpha:q4");
        VariantStatus outdated = store.status(q4v2, false);
        assertEquals(State.OUTDATED, outdated.state());
        assertEquals(300_000, outdated.toDownload());

        install(store, "beta", null);
        VariantStatus beta = store.status(fx.ref("beta"), false);
        assertEquals(State.UNVERIFIED, beta.state());
        assertTrue(beta.usable());
        assertTrue(Files.isRegularFile(store.layout().unverifiedBlobs().resolve("beta/fp16/notes.txt")));
        assertTrue(store.meta("beta", "fp16").orElseThrow().file("notes.txt").orElseThrow().unverified());
    }

    @Test
    void damagedMetadataIsReportedAndRebuiltNeverFatal() throws Exception {
        ModelStore store = fx.store();
        install(store, "alpha:q4", "app-one");
        Files.writeString(store.layout().metaFile("alpha", "q4"), "{\"schema\": 1, \"model\": \"alp");

        ModelStore again = fx.store();
        assertEquals(State.READY, again.status(fx.ref("alpha:q4"), false).state());
        assertTrue(again.warnings().stream().anyMatch(w -> w.contains("damaged")), again.warnings().toString());
        assertTrue(again.warnings().stream().anyMatch(w -> w.contains("rebuilt")), again.warnings().toString());
        VariantMeta rebuilt = again.meta("alpha", "q4").orElseThrow();
        assertEquals(2, rebuilt.files().stream().filter(f -> f.stamp() != null).count());
        assertEquals(1, Files.list(again.layout().quarantine()).count(), "the damaged document is kept aside");
    }

    @Test
    void withoutHardLinksOrSymlinksTheReadablePathIsACopy() throws Exception {
        ModelStore store = fx.store(Linker.copyOnly());
        Path dir = install(store, "alpha:q4", null);
        Path readable = dir.resolve("alpha-q4.gguf");
        assertFalse(Files.isSymbolicLink(readable));
        assertFalse(Files.isSameFile(readable, store.layout().blob(fx.sha("alpha-q4.gguf"))));
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(readable));
        assertEquals("copy", store.meta("alpha", "q4").orElseThrow().file("alpha-q4.gguf").orElseThrow().link());
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state());
        Object copyKey = Files.readAttributes(readable, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        store.path(fx.ref("alpha:q4")).orElseThrow();
        assertEquals(copyKey, Files.readAttributes(readable, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "asking for the path again does not copy 20 GB again");
    }

    @Test
    void withoutHardLinksTheReadablePathIsARelativeSymlink() throws Exception {
        Linker noHardLinks = new Linker((l, t) -> {
            throw new java.nio.file.FileSystemException(l.toString(), null, "hard links not supported");
        }, (l, t) -> Files.createSymbolicLink(l, t));
        ModelStore store = fx.store(noHardLinks);
        Path readable = install(store, "alpha:q4", null).resolve("mmproj.gguf");
        assertTrue(Files.isSymbolicLink(readable));
        assertFalse(Files.readSymbolicLink(readable).isAbsolute(), "relative, so the store can move");
        assertArrayEquals(fx.content.get("mmproj.gguf"), Files.readAllBytes(readable));
    }

    @Test
    void storePathsNeverEscapeTheRoot() {
        ModelStore store = fx.store();
        ModelFile evil = new ModelFile("../../../../etc/evil", fx.ref("alpha").variant().files().get(0).url(), List.of(), 1, null, null, null);
        Variant v = new Variant("q4", true, null, null, List.of(evil));
        VariantRef ref = new VariantRef(new Model("alpha", "A", null, null, null, null, List.of(), List.of(v)), v);
        DepotException e = assertThrows(DepotException.class, () -> store.layout().readablePath(ref, evil));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertThrows(DepotException.class, () -> store.layout().blobFor(ref, evil));
        assertThrows(DepotException.class, () -> store.layout().variantDir("..", "x"));
        assertThrows(DepotException.class, () -> store.layout().blob("../../etc/passwd"));
    }

    @Test
    void pathLinksAStoredVariantAndIsEmptyWhenNotReady() throws Exception {
        ModelStore store = fx.store();
        assertTrue(store.path(fx.ref("alpha:q4")).isEmpty());
        install(store, "alpha:q4", null);
        BlobFiles.deleteTree(store.layout().variantDir("alpha", "q4"));
        Path dir = store.path(fx.ref("alpha:q4")).orElseThrow();
        assertArrayEquals(fx.content.get("mmproj.gguf"), Files.readAllBytes(dir.resolve("mmproj.gguf")), "path repairs missing links");
    }
}
