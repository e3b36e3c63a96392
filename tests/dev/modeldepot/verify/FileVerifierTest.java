package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVerifierTest {
    @TempDir
    Path dir;

    private final FileVerifier verifier = new FileVerifier();

    @Test
    void rightChecksumIsOkAndProgressCoversEveryByte() throws Exception {
        // Larger than one 4 MB buffer, so the streaming loop runs several times.
        Path f = ModelFiles.gguf(dir.resolve("m.gguf"), 9_500_000);
        String sha = ModelFiles.sha256(f);
        AtomicLong hashed = new AtomicLong();
        VerificationResult r = verifier.verify(f, sha.toUpperCase(), Files.size(f), null, hashed::addAndGet);
        assertEquals(Verdict.OK, r.verdict(), r.detail());
        assertEquals(sha, r.actualSha256());
        assertEquals(Files.size(f), hashed.get());
        assertEquals(Files.size(f), r.size());
        assertTrue(r.formatCheck().checked() && r.formatCheck().ok());
    }

    @Test
    void hashAgreesWithSha256sum() throws Exception {
        Path sha256sum = dev.modeldepot.testing.Requires.command("sha256sum");
        Path f = ModelFiles.safetensors(dir.resolve("w.safetensors"), 6_000_000);
        Process p = new ProcessBuilder(sha256sum.toString(), f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertEquals(out.substring(0, 64), FileVerifier.sha256(f, null));
    }

    @Test
    void flippedBitIsAHashMismatchThoughTheStructureIsFine() throws Exception {
        Path f = ModelFiles.gguf(dir.resolve("m.gguf"), 200_000);
        String sha = ModelFiles.sha256(f);
        ModelFiles.flipBit(f, Files.size(f) - 1000);
        VerificationResult r = verifier.verify(f, sha, Files.size(f), "gguf", null);
        assertEquals(Verdict.HASH_MISMATCH, r.verdict());
        assertTrue(r.formatCheck().ok());
        assertEquals(sha, r.expectedSha256());
        assertTrue(!sha.equals(r.actualSha256()) && r.actualSha256().length() == 64);
        assertEquals(ExitCode.INTEGRITY, r.verdict().exitCode());
    }

    @Test
    void wrongSizeIsReportedWithoutHashing() throws Exception {
        Path f = ModelFiles.safetensors(dir.resolve("w.safetensors"), 100_000);
        long size = Files.size(f);
        ModelFiles.truncate(f, size - 10);
        AtomicLong hashed = new AtomicLong();
        VerificationResult r = verifier.verify(f, "a".repeat(64), size, null, hashed::addAndGet);
        assertEquals(Verdict.WRONG_SIZE, r.verdict());
        assertTrue(r.detail().contains("expected " + size) && r.detail().contains("truncated"), r.detail());
        assertNull(r.actualSha256());
        assertEquals(0, hashed.get());
        assertTrue(!r.formatCheck().ok(), "the structural check still explains what is wrong");
    }

    @Test
    void withoutChecksumTheStructureDecides() throws Exception {
        Path good = ModelFiles.gguf(dir.resolve("good.gguf"), 100_000);
        VerificationResult ok = verifier.verify(good, null, -1, null, null);
        assertEquals(Verdict.UNVERIFIABLE, ok.verdict());
        assertEquals(ExitCode.OK, ok.verdict().exitCode());
        assertEquals(ModelFiles.sha256(good), ok.actualSha256());

        Path cut = ModelFiles.gguf(dir.resolve("cut.gguf"), 100_000);
        ModelFiles.truncate(cut, 50_000);
        VerificationResult bad = verifier.verify(cut, null, -1, null, null);
        assertEquals(Verdict.BAD_FORMAT, bad.verdict());
        assertTrue(bad.detail().contains("truncated"), bad.detail());

        Path mislabelled = ModelFiles.safetensors(dir.resolve("weights.safetensors"), 10_000);
        assertEquals(Verdict.BAD_FORMAT, verifier.verify(mislabelled, null, -1, "gguf", null).verdict());
    }

    @Test
    void aMatchingChecksumWinsOverAWrongDeclaredFormatButSaysSo() throws Exception {
        Path f = ModelFiles.safetensors(dir.resolve("weights.bin"), 10_000);
        VerificationResult r = verifier.verify(f, ModelFiles.sha256(f), -1, "gguf", null);
        assertEquals(Verdict.OK, r.verdict());
        assertTrue(!r.formatCheck().ok() && r.detail().contains("is the declared format right?"), r.detail());
    }

    @Test
    void missingFileIsMissing() throws Exception {
        VerificationResult r = verifier.verify(dir.resolve("nope.gguf"), "a".repeat(64), 10, null, null);
        assertEquals(Verdict.MISSING, r.verdict());
        assertEquals(-1, r.size());
        assertEquals(ExitCode.FAILED, r.verdict().exitCode());
    }

    @Test
    void anUnreadableFileIsReportedNotThrown() throws Exception {
        // A real read error without root-proof permissions: reading /proc/self/mem at offset 0 fails with EIO.
        Path mem = Path.of("/proc/self/mem");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(mem), "needs Linux /proc");
        VerificationResult r = verifier.verify(mem, null, -1, null, null);
        assertEquals(Verdict.MISSING, r.verdict());
        assertTrue(r.detail().startsWith("cannot read the file: "), r.detail());
    }

    @Test
    void runExitCodeCorruptionBeatsMissingBeatsOk() {
        assertEquals(ExitCode.OK, Verdict.exitCodeOf(List.of(Verdict.OK, Verdict.UNVERIFIABLE)));
        assertEquals(ExitCode.FAILED, Verdict.exitCodeOf(List.of(Verdict.OK, Verdict.MISSING)));
        assertEquals(ExitCode.INTEGRITY, Verdict.exitCodeOf(List.of(Verdict.MISSING, Verdict.BAD_FORMAT, Verdict.OK)));
        assertEquals(ExitCode.INTEGRITY, Verdict.exitCodeOf(List.of(Verdict.WRONG_SIZE)));
    }
}
