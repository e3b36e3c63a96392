package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Stamp;
import dev.modeldepot.testing.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampsTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private Path file;
    private String sha;
    private Path book;
    private long size;

    @BeforeEach
    void setUp() throws Exception {
        file = ModelFiles.gguf(dir.resolve("m.gguf"), 200_000);
        ModelFiles.backdate(file);
        sha = ModelFiles.sha256(file);
        size = Files.size(file);
        book = dir.resolve("state").resolve("stamps.json");
    }

    private VerificationResult verify(boolean deep) throws Exception {
        VerifyRun run = new VerifyRun(new FileVerifier(), StampBook.open(book), deep, 2, clock);
        return run.run(List.of(new VerifyJob("m:q4", "m.gguf", file, "m:q4/m.gguf", sha, size, null)), null).get(0);
    }

    @Test
    void aFullPassStampsAndTheNextCheckTrustsTheStamp() throws Exception {
        VerificationResult first = verify(false);
        assertEquals(Verdict.OK, first.verdict());
        assertFalse(VerifyRun.fromStamp(first));
        Stamp stamp = StampBook.open(book).get("m:q4/m.gguf").orElseThrow();
        assertEquals(sha, stamp.sha256());
        assertEquals(Files.size(file), stamp.size());
        assertEquals(clock.instant(), stamp.verifiedAt());

        VerificationResult second = verify(false);
        assertEquals(Verdict.OK, second.verdict());
        assertTrue(VerifyRun.fromStamp(second), second.detail());
        assertEquals(sha, second.actualSha256());
    }

    @Test
    void touchInvalidatesTheStamp() throws Exception {
        verify(false);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-06-01T00:00:00Z")));
        assertTrue(StampBook.open(book).trusted("m:q4/m.gguf", file).isEmpty());
        VerificationResult r = verify(false);
        assertFalse(VerifyRun.fromStamp(r));
        assertEquals(Verdict.OK, r.verdict());
    }

    @Test
    void sameSizeRewriteInvalidatesTheStampAndIsCaught() throws Exception {
        verify(false);
        ModelFiles.rewriteSameSize(file);
        VerificationResult r = verify(false);
        assertFalse(VerifyRun.fromStamp(r));
        assertEquals(Verdict.HASH_MISMATCH, r.verdict());
        assertTrue(StampBook.open(book).get("m:q4/m.gguf").isEmpty(), "a failed file loses its stamp");
    }

    @Test
    void truncationInvalidatesTheStamp() throws Exception {
        verify(false);
        ModelFiles.truncate(file, Files.size(file) - 1);
        VerificationResult r = verify(false);
        assertEquals(Verdict.WRONG_SIZE, r.verdict());
    }

    @Test
    void anEditThatRestoresTheMtimeNeedsDeep() throws Exception {
        verify(false);
        ModelFiles.rewriteSameSizeKeepingMtime(file);
        // The documented limit of stamps: size, mtime and inode all unchanged.
        assertTrue(VerifyRun.fromStamp(verify(false)));
        VerificationResult deep = verify(true);
        assertFalse(VerifyRun.fromStamp(deep));
        assertEquals(Verdict.HASH_MISMATCH, deep.verdict());
    }

    @Test
    void aStampForOtherBytesIsNotTrustedWhenTheRegistryChanges() throws Exception {
        verify(false);
        VerifyRun run = new VerifyRun(new FileVerifier(), StampBook.open(book), false, 1, clock);
        String other = "b".repeat(64);
        VerificationResult r = run.run(List.of(new VerifyJob("m:q4", "m.gguf", file, "m:q4/m.gguf", other, -1, null)), null).get(0);
        assertFalse(VerifyRun.fromStamp(r));
        assertEquals(Verdict.HASH_MISMATCH, r.verdict());
    }

    @Test
    void aDamagedStampFileMeansRehashNotFailure() throws Exception {
        Files.createDirectories(book.getParent());
        Files.writeString(book, "{ this is not json");
        VerificationResult r = verify(false);
        assertEquals(Verdict.OK, r.verdict());
        assertEquals(1, StampBook.open(book).size());
    }

    @Test
    void savingMergesWithStampsOtherProcessesWrote() throws Exception {
        StampBook a = StampBook.open(book);
        StampBook b = StampBook.open(book);
        a.put("a", Stamp.of(file, sha, clock.instant()));
        a.save();
        b.put("b", Stamp.of(file, sha, clock.instant()));
        b.save();
        StampBook merged = StampBook.open(book);
        assertTrue(merged.get("a").isPresent() && merged.get("b").isPresent());
    }

    @Test
    void parallelRunKeepsInputOrderAndReportsAllBytes() throws Exception {
        List<VerifyJob> jobs = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 7; i++) {
            Path f = i % 2 == 0 ? ModelFiles.gguf(dir.resolve("f" + i + ".gguf"), 100_000 + i * 50_000L)
                    : ModelFiles.safetensors(dir.resolve("f" + i + ".safetensors"), 100_000 + i * 30_000L);
            total += Files.size(f);
            jobs.add(VerifyJob.ofFile(f, ModelFiles.sha256(f), Files.size(f), null));
        }
        jobs.add(VerifyJob.ofFile(dir.resolve("missing.gguf"), "c".repeat(64), 5, null));
        List<RunProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<VerificationResult> results = new VerifyRun(new FileVerifier(), null, false, 2, Clock.systemUTC()).run(jobs, seen::add);
        assertEquals(jobs.size(), results.size());
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(jobs.get(i).path(), results.get(i).path());
        }
        assertEquals(Verdict.MISSING, results.get(7).verdict());
        assertTrue(results.subList(0, 7).stream().allMatch(r -> r.verdict() == Verdict.OK));
        RunProgress last = seen.get(seen.size() - 1);
        assertTrue(last.finished());
        assertEquals(total, last.bytesDone());
        assertEquals(jobs.size(), last.filesDone());
    }
}
