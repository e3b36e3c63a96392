package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Symbolic links planted inside the store must never let a write, link or delete reach outside it. */
class HostileStoreLinksTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Fixture fx = Fixture.in(() -> tmp);
    Path foreign;
    byte[] foreignWeights = "someone else's weights".getBytes();
    byte[] unrelated = "an unrelated file".getBytes();

    @BeforeEach
    void setUp() throws Exception {
        foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.createDirectories(foreign.resolve("q4"));
        Files.write(foreign.resolve("q4/alpha-q4.gguf"), foreignWeights);
        Files.write(foreign.resolve("q4/unrelated.txt"), unrelated);
        fx.store().install(fx.ref("alpha:q4"), new HttpFetcher(), DownloadListener.NONE, new Cancellation(), null);
    }

    private void assertForeignUntouched() throws Exception {
        assertArrayEquals(foreignWeights, Files.readAllBytes(foreign.resolve("q4/alpha-q4.gguf")), "the foreign file keeps its bytes");
        assertEquals(1, Files.getAttribute(foreign.resolve("q4/alpha-q4.gguf"), "unix:nlink"), "and is not hard-linked to a blob");
        assertArrayEquals(unrelated, Files.readAllBytes(foreign.resolve("q4/unrelated.txt")));
    }

    private void plantModelLink() throws Exception {
        Path models = fx.storeRoot.resolve("models");
        BlobFiles.deleteTree(models.resolve("alpha"));
        Files.createSymbolicLink(models.resolve("alpha"), foreign);
    }

    @Test
    void pathAndDeleteRefuseAModelFolderLinkedOutsideTheStore() throws Exception {
        plantModelLink();
        Run path = fx.modelStore("path", "alpha:q4");
        assertEquals(1, path.exitCode(), path.out() + path.err());
        assertTrue(path.err().contains("models/alpha") && path.err().contains("outside the store"), path.err());
        assertEquals(1, path.err().strip().lines().count(), "one sentence: " + path.err());
        assertForeignUntouched();

        Run delete = fx.modelStore("delete", "alpha:q4", "--force");
        assertEquals(1, delete.exitCode(), delete.out() + delete.err());
        assertTrue(delete.err().contains("models/alpha"), delete.err());
        assertForeignUntouched();
        assertTrue(Files.isDirectory(foreign.resolve("q4")), "the foreign folder stays");
    }

    @Test
    void pruneAndDeleteOfAVariantFolderLinkRemoveOnlyTheLink() throws Exception {
        Path variant = fx.storeRoot.resolve("models/alpha/q4");
        BlobFiles.deleteTree(variant);
        Files.createSymbolicLink(variant, foreign.resolve("q4"));
        Run delete = fx.modelStore("delete", "alpha:q4", "--force");
        assertTrue(delete.exitCode() == 0 || delete.exitCode() == 1, delete.err());
        assertForeignUntouched();
    }

    @Test
    void aBlobFolderLinkedOutsideIsRefusedBeforeAnyWrite() throws Exception {
        Path blobs = fx.storeRoot.resolve("blobs/sha256");
        BlobFiles.deleteTree(blobs);
        Files.createSymbolicLink(blobs, foreign.resolve("q4"));
        Run path = fx.modelStore("path", "alpha:q4");
        assertEquals(1, path.exitCode(), path.out() + path.err());
        assertTrue(path.err().contains("blobs/sha256"), path.err());
        assertForeignUntouched();
    }

    @Test
    void linksThatStayInsideTheStoreStillWork() throws Exception {
        Path models = fx.storeRoot.resolve("models");
        Path moved = fx.storeRoot.resolve("models-elsewhere");
        Files.move(models, moved);
        Files.createSymbolicLink(models, moved);
        Run path = fx.modelStore("path", "alpha:q4");
        assertEquals(0, path.exitCode(), path.err());
    }

    @Test
    void aStoreRootThatIsItselfALinkIsFine() throws Exception {
        Path real = tmp.resolve("real-store");
        Files.move(fx.storeRoot, real);
        Files.createSymbolicLink(fx.storeRoot, real);
        Run path = fx.modelStore("path", "alpha:q4");
        assertEquals(0, path.exitCode(), path.err());
    }
}
