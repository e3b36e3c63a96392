package dev.modeldepot.verify.bench;

import dev.modeldepot.verify.FileVerifier;
import dev.modeldepot.verify.SampleFiles;
import dev.modeldepot.verify.StampBook;
import dev.modeldepot.verify.VerificationResult;
import dev.modeldepot.verify.VerifyJob;
import dev.modeldepot.verify.VerifyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's in-process side (bench/verify-bench.sh), run with plain `java -cp` so JVM and
 * JBang start-up stay out of the figures. Prints key=value lines. In its own package so the
 * scripts' //SOURCES globs (one folder each) never see a second main().
 *
 * <pre>
 *   gen-gguf FILE BYTES | gen-safetensors FILE BYTES
 *   hash FILE                 one file: structural check + SHA-256, one thread
 *   parallel THREADS FILE...  several files through VerifyRun
 *   stamps DIR N              N small files: a full pass, then timed stamp-only checks
 * </pre>
 */
public final class VerifyBench {
    private VerifyBench() {}

    public static void main(String[] args) throws Exception {
        warmUp();
        switch (args[0]) {
            case "gen-gguf" -> SampleFiles.writeGguf(Path.of(args[1]), Long.parseLong(args[2]), false, 7);
            case "gen-safetensors" -> SampleFiles.writeSafetensors(Path.of(args[1]), Long.parseLong(args[2]), args[1].hashCode());
            case "hash" -> hash(Path.of(args[1]));
            case "parallel" -> parallel(Integer.parseInt(args[1]), Arrays.stream(args, 2, args.length).map(Path::of).toList());
            case "stamps" -> stamps(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void hash(Path file) throws Exception {
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        VerificationResult r = new FileVerifier().verify(file, null, -1, null, null);
        double s = (System.nanoTime() - t0) / 1e9;
        print("ours_single", r.size(), s, (cpuNanos() - c0) / 1e9, r.verdict() + " " + r.actualSha256());
    }

    /** Gets the digest loop compiled before anything is timed, as it is in a long-running process. */
    private static void warmUp() {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        var buffer = java.nio.ByteBuffer.allocateDirect(FileVerifier.BUFFER_BYTES);
        for (int i = 0; i < 48; i++) {
            digest.update(buffer.clear());
        }
        digest.digest();
    }

    /** CPU time of the whole process (all threads, JIT included), to see past a busy machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void parallel(int threads, List<Path> files) throws Exception {
        List<VerifyJob> jobs = files.stream().map(f -> VerifyJob.ofFile(f, null, -1, null)).toList();
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        List<VerificationResult> results = new VerifyRun(new FileVerifier(), null, true, threads, Clock.systemUTC()).run(jobs, null);
        double s = (System.nanoTime() - t0) / 1e9;
        long bytes = results.stream().mapToLong(VerificationResult::size).sum();
        print("ours_parallel_" + threads, bytes, s, (cpuNanos() - c0) / 1e9, results.stream().map(r -> r.verdict().name()).distinct().toList().toString());
    }

    private static void stamps(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        List<VerifyJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve("model-" + i + ".gguf");
            SampleFiles.writeGguf(f, 1 << 20, i % 5 == 0, i);
            jobs.add(new VerifyJob("bench:v" + i, f.getFileName().toString(), f, "bench:v" + i + "/" + f.getFileName(), null, Files.size(f), "gguf"));
        }
        Path book = dir.resolve("stamps.json");
        Files.deleteIfExists(book);
        new VerifyRun(new FileVerifier(), StampBook.open(book), true, 0, Clock.systemUTC()).run(jobs, null);
        double[] ms = new double[6];
        for (int round = 0; round < ms.length; round++) {
            long t0 = System.nanoTime();
            // What a startup check does: open the stamp book and check every file against it.
            List<VerificationResult> results = new VerifyRun(new FileVerifier(), StampBook.open(book), false, 0, Clock.systemUTC()).run(jobs, null);
            ms[round] = (System.nanoTime() - t0) / 1e6;
            if (!results.stream().allMatch(VerifyRun::fromStamp)) {
                throw new IllegalStateException("a file was re-hashed: stamps not trusted");
            }
        }
        double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(warm);
        System.out.printf(Locale.ROOT, "stamps_files=%d%nstamps_first_ms=%.1f%nstamps_median_ms=%.1f%n", n, ms[0], warm[warm.length / 2]);
    }

    private static void print(String name, long bytes, double seconds, double cpuSeconds, String note) {
        System.out.printf(Locale.ROOT, "%s_bytes=%d%n%s_seconds=%.3f%n%s_mbps=%.1f%n%s_cpu_seconds=%.3f%n%s_note=%s%n",
                name, bytes, name, seconds, name, bytes / seconds / 1e6, name, cpuSeconds, name, note);
    }
}
