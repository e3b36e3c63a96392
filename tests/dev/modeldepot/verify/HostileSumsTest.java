package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile SHA256SUMS must not make --delete or --quarantine act outside its own folder. */
class HostileSumsTest {
    @TempDir
    Path dir;

    private Run verify(String... args) {
        VerifyCommand cmd = new VerifyCommand();
        cmd.common = new CommonOptions();
        cmd.common.env = Map.of("HF_HUB_CACHE", dir.resolve("no-hf").toString());
        String[] all = new String[args.length + 2];
        all[0] = "--cache-dir";
        all[1] = dir.resolve("store").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Run.of(cmd, all);
    }

    /** A release folder with a good file, and a victim outside it whose listed hash is wrong. */
    private Path release(String victimName) throws Exception {
        Path release = Files.createDirectories(dir.resolve("a/b/release"));
        Files.writeString(release.resolve("good.bin"), "good");
        Files.writeString(dir.resolve("victim.txt"), "precious");
        String wrong = "0".repeat(64);
        Files.writeString(release.resolve("SHA256SUMS"), DigestUtils.sha256Hex("good") + "  good.bin\n" + wrong + "  " + victimName + "\n");
        return release.resolve("SHA256SUMS");
    }

    @Test
    void dotDotNamesAreRefusedForDeleteQuarantineAndPlainChecks() throws Exception {
        Path sums = release("../../../victim.txt");
        for (String action : new String[] {"--delete", "--quarantine", null}) {
            Run r = action == null ? verify("--sums", sums.toString()) : verify("--sums", sums.toString(), action);
            assertEquals(2, r.exitCode(), action + ": " + r.out() + r.err());
            assertTrue(r.err().contains("unsafe name") && r.err().contains("line 2"), r.err());
            assertEquals("precious", Files.readString(dir.resolve("victim.txt")), action + " must not touch it");
        }
    }

    @Test
    void absoluteNamesAreRefused() throws Exception {
        Path sums = release(dir.resolve("victim.txt").toString());
        Run r = verify("--sums", sums.toString(), "--delete");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unsafe name") && r.err().contains("absolute"), r.err());
        assertEquals("precious", Files.readString(dir.resolve("victim.txt")));
    }

    @Test
    void aFolderLinkLeadingOutIsRefusedBeforeADelete() throws Exception {
        Path sums = release("out/victim.txt");
        Files.createSymbolicLink(sums.getParent().resolve("out"), dir);
        Run r = verify("--sums", sums.toString(), "--delete");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unsafe name"), r.err());
        assertEquals("precious", Files.readString(dir.resolve("victim.txt")));
    }

    @Test
    void namesInsideTheFolderAreStillDeletedWhenCorrupt() throws Exception {
        Path release = Files.createDirectories(dir.resolve("release"));
        Files.writeString(release.resolve("bad.bin"), "bad");
        Files.createDirectories(release.resolve("sub"));
        Files.writeString(release.resolve("sub/x.bin"), "x");
        Files.writeString(release.resolve("SHA256SUMS"), "0".repeat(64) + "  bad.bin\n" + "0".repeat(64) + "  ./sub/x.bin\n");
        Run r = verify("--sums", release.resolve("SHA256SUMS").toString(), "--delete");
        assertEquals(3, r.exitCode(), r.out() + r.err());
        assertTrue(Files.notExists(release.resolve("bad.bin")) && Files.notExists(release.resolve("sub/x.bin")));
    }
}
