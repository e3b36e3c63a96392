package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.CheckModelsCommand;
import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.store.VariantStatus.State;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 9: the path apps open ({@code models/<id>/<variant>/<file>}) must be the verified
 * blob. A sound blob behind a replaced readable path used to read "ready" everywhere.
 */
class DamagedLinkTest {
    private static final byte[] THIRTEEN = "hello, world\n".getBytes();

    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);
    Path readable;
    Path blob;

    private void install(ModelStore store) {
        store.install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
        readable = fx.storeRoot.resolve("models/alpha/q4/alpha-q4.gguf");
        blob = store.layout().blob(fx.sha("alpha-q4.gguf"));
    }

    private Run run(Callable<Integer> cmd, CommonOptions common, String... args) {
        common.env = fx.env();
        List<String> all = new ArrayList<>(fx.args());
        all.addAll(List.of(args));
        return Run.of(cmd, all.toArray(String[]::new));
    }

    private Run check(String... args) {
        CheckModelsCommand cmd = new CheckModelsCommand();
        cmd.common = new CommonOptions();
        cmd.fetchers = common -> new HttpFetcher();
        return run(cmd, cmd.common, args);
    }

    private Run verify(String... args) {
        VerifyCommand cmd = new VerifyCommand();
        cmd.common = new CommonOptions();
        cmd.fetchers = common -> new HttpFetcher();
        return run(cmd, cmd.common, args);
    }

    private Run modelStore(String... args) {
        ModelStoreCommand cmd = new ModelStoreCommand();
        cmd.common = new CommonOptions();
        return run(cmd, cmd.common, args);
    }

    private void replaceReadable(byte[] bytes) throws Exception {
        Files.delete(readable);
        Files.write(readable, bytes);
    }

    /** check-models (quick and --deep, table and --json) and verify-model-integrity --deep all say "damaged link", exit 1. */
    private void assertDamagedEverywhere(String why) throws Exception {
        for (String[] args : new String[][] {{"alpha"}, {"alpha", "--deep"}}) {
            Run r = check(args);
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("alpha\\s+q4\\s+damaged link\\s+.*")), r.out());
            assertTrue(r.out().contains("alpha:q4/alpha-q4.gguf: damaged link: models/alpha/q4/alpha-q4.gguf " + why), r.out());
            assertTrue(r.out().contains("model-store path alpha:q4"), "says how to repair it: " + r.out());
        }
        JsonNode doc = Json.MAPPER.readTree(check("alpha", "--json").out());
        JsonNode m = doc.get("models").get(0);
        assertEquals("damaged link", m.get("state").asText());
        assertEquals(0, m.get("toDownload").asLong(), "nothing to download: the blob is sound");
        assertEquals("damaged link", m.get("files").get(0).get("state").asText());
        assertEquals("ready", m.get("files").get(1).get("state").asText());
        assertFalse(doc.get("ready").asBoolean());

        Run v = verify("alpha:q4", "--deep", "--json");
        assertEquals(1, v.exitCode(), v.out() + v.err());
        JsonNode f = Json.MAPPER.readTree(v.out()).at("/files/0");
        assertEquals("DAMAGED_LINK", f.get("verdict").asText());
        assertEquals("damaged link", f.get("state").asText(), "the state word of check-models (docs/json.md): " + f);
        assertTrue(f.get("detail").asText().contains(why), f.toString());
        assertEquals(1, Json.MAPPER.readTree(v.out()).at("/summary/damagedLinks").asInt());
        Run human = verify("alpha:q4");
        assertEquals(1, human.exitCode());
        assertTrue(human.out().contains("1 damaged link"), human.out());
    }

    @Test
    void aThirteenByteFileInPlaceOfTheModelIsADamagedLinkAndPathRelinksIt() throws Exception {
        install(fx.store());
        replaceReadable(THIRTEEN);
        assertDamagedEverywhere("is another file of 13 bytes, not its blob of 300000");
        assertEquals(State.DAMAGED_LINK, fx.store().statusFromStamps(fx.ref("alpha:q4")).state(), "the service's quick status too");

        Run path = modelStore("path", "alpha:q4", "--file", "alpha-q4.gguf");
        assertEquals(0, path.exitCode(), path.err());
        assertEquals(readable.toString(), path.out().strip());
        assertTrue(path.err().contains("linked alpha:q4/alpha-q4.gguf to its verified blob again"), path.err());
        assertTrue(Files.isSameFile(readable, blob), "a fresh hard link to the blob");
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(readable));
        assertEquals(0, check("alpha", "--deep").exitCode());
    }

    @Test
    void aSymlinkToAForeignFileIsDamagedAndDownloadRelinksWithoutWritingThroughIt() throws Exception {
        install(fx.store());
        Path foreign = Files.write(tmp.resolve("foreign.gguf"), Fixture.bytes(300_000, 99)); // same size, other bytes
        Files.delete(readable);
        Files.createSymbolicLink(readable, foreign);
        assertDamagedEverywhere("is a symbolic link to " + foreign.toRealPath() + ", outside the store");

        Run download = check("alpha", "--download", "--yes");
        assertEquals(0, download.exitCode(), download.out() + download.err());
        assertTrue(download.out().lines().anyMatch(l -> l.matches("alpha\\s+q4\\s+ready\\s+.*")), download.out());
        assertFalse(Files.isSymbolicLink(readable));
        assertTrue(Files.isSameFile(readable, blob));
        assertArrayEquals(Fixture.bytes(300_000, 99), Files.readAllBytes(foreign), "the foreign file keeps its bytes");
        assertEquals(1, Files.getAttribute(foreign, "unix:nlink"), "and is not linked to anything");
    }

    @Test
    void aSymlinkInsideTheStoreToAnotherBlobIsDamagedButOneToItsOwnBlobIsFine() throws Exception {
        install(fx.store());
        Path other = fx.store().layout().blob(fx.sha("mmproj.gguf"));
        Files.delete(readable);
        Files.createSymbolicLink(readable, readable.getParent().relativize(other));
        Run r = check("alpha");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("not to its blob"), r.out());

        Files.delete(readable);
        Files.createSymbolicLink(readable, readable.getParent().relativize(blob));
        assertEquals(0, check("alpha").exitCode(), "a relative symlink to its own blob is what the linker makes without hard links");
    }

    @Test
    void verifyRepairRelinksWithoutFetching() throws Exception {
        install(fx.store());
        replaceReadable(THIRTEEN);
        int requests = fx.origin.gets("alpha-q4.gguf");
        Run v = verify("alpha:q4", "--repair", "--json");
        assertEquals(0, v.exitCode(), v.out() + v.err());
        JsonNode f = Json.MAPPER.readTree(v.out()).at("/files/0");
        assertEquals("OK", f.get("verdict").asText(), f.toString());
        assertTrue(f.get("action").asText().contains("linked again to its verified blob"), f.toString());
        assertTrue(Files.isSameFile(readable, blob));
        assertEquals(requests, fx.origin.gets("alpha-q4.gguf"), "nothing fetched");
    }

    @Test
    void aReadablePathLinkedToAForeignFolderIsRefusedNamingIt() throws Exception {
        install(fx.store());
        Path foreignDir = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(foreignDir.resolve("holiday.jpg"), "mine");
        Files.delete(readable);
        Files.createSymbolicLink(readable, foreignDir);
        for (Run r : new Run[] {check("alpha"), modelStore("path", "alpha:q4"), check("alpha", "--download", "--yes")}) {
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("models/alpha/q4/alpha-q4.gguf") && r.err().contains("outside the store"), r.err());
        }
        assertEquals(List.of(foreignDir.resolve("holiday.jpg")), Files.list(foreignDir).toList(), "nothing written into the folder");
        assertEquals("mine", Files.readString(foreignDir.resolve("holiday.jpg")));
    }

    @Test
    void aRemovedReadablePathIsADamagedLinkToo() throws Exception {
        install(fx.store());
        Files.delete(readable);
        Run r = check("alpha");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("damaged link: nothing at models/alpha/q4/alpha-q4.gguf"), r.out());
        assertEquals(0, modelStore("path", "alpha:q4").exitCode());
        assertTrue(Files.isSameFile(readable, blob));
    }

    @Test
    void copiesAreTrustedByTheirStampAndHashedOnlyWhenDeep() throws Exception {
        ModelStore store = fx.store(Linker.copyOnly());
        install(store);
        assertEquals("copy", store.meta("alpha", "q4").orElseThrow().file("alpha-q4.gguf").orElseThrow().link());
        assertTrue(store.meta("alpha", "q4").orElseThrow().file("alpha-q4.gguf").orElseThrow().copyStamp() != null, "the copy is stamped");
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state());
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), true).state());

        // The same bytes written again (a new inode): not hashed by a quick status, found good by a deep one.
        byte[] good = Files.readAllBytes(readable);
        replaceReadable(good);
        VariantStatus quick = store.status(fx.ref("alpha:q4"), false);
        assertEquals(State.DAMAGED_LINK, quick.state(), quick.toString());
        assertTrue(quick.files().get(0).detail().contains("--deep hashes it"), quick.toString());
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), true).state());

        // Other bytes of the same size: damaged either way, and path() copies the blob again.
        replaceReadable(Fixture.bytes(300_000, 42));
        VariantStatus deep = store.status(fx.ref("alpha:q4"), true);
        assertEquals(State.DAMAGED_LINK, deep.state());
        assertTrue(deep.files().get(0).detail().contains("another file of the same size (sha256 "), deep.toString());
        store.path(fx.ref("alpha:q4")).orElseThrow();
        assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(readable));
        assertEquals(State.READY, store.status(fx.ref("alpha:q4"), false).state(), "the new copy carries a new stamp");
    }

    @Test
    void theApiSaysDamagedLinkAndIsNotReady() throws Exception {
        install(fx.store());
        replaceReadable(THIRTEEN);
        try (var depot = dev.modeldepot.api.ModelDepot.builder().registry(fx.registryFile).cacheDir(fx.storeRoot)
                .env(fx.env()).build()) {
            var status = depot.status("alpha:q4");
            assertEquals(State.DAMAGED_LINK, status.state());
            assertFalse(status.ready());
            assertEquals(0, status.toDownload());
            var ready = depot.ensure("alpha:q4", null);
            assertArrayEquals(fx.content.get("alpha-q4.gguf"), Files.readAllBytes(ready.dir().resolve("alpha-q4.gguf")), "ensure relinks it");
            assertTrue(depot.status("alpha:q4").ready());
        }
    }
}
