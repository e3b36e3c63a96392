package dev.modeldepot.cli;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.verify.FileVerifier;
import dev.modeldepot.verify.FormatChecks;
import dev.modeldepot.verify.NameBytes;
import dev.modeldepot.verify.Sha256Sums;
import dev.modeldepot.verify.StampBook;
import dev.modeldepot.verify.Verdict;
import dev.modeldepot.verify.VerificationResult;
import dev.modeldepot.verify.VerifyJob;
import dev.modeldepot.verify.VerifyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * --generate: hashes every file under a folder (in parallel, structure checked too) and writes
 * DIR/SHA256SUMS in coreutils format, so `sha256sum -c SHA256SUMS` run there accepts it; with
 * --registry-entries, prints the registry `files` entries a model author pastes into a registry.
 */
final class SumsGenerator {
    static final String SUMS = "SHA256SUMS";

    /** A registry `files` entry: the author adds url (and role) by hand. */
    record RegistryEntry(String path, long size, String sha256, String format) {}

    private final CommonOptions common;
    private final Console console;
    private final Clock clock;
    private final int jobs;

    SumsGenerator(CommonOptions common, Console console, Clock clock, int jobs) {
        this.common = common;
        this.console = console;
        this.clock = clock;
        this.jobs = jobs;
    }

    int generate(Path dir, boolean registryEntries) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            throw DepotException.badInput("--generate needs a folder; " + dir + " is not one");
        }
        Path root = dir.toAbsolutePath().normalize();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.equals(root.resolve(SUMS)))
                    .sorted((a, b) -> NameBytes.relative(root, a).compareTo(NameBytes.relative(root, b)))
                    .toList();
        }
        if (paths.isEmpty()) {
            throw DepotException.badInput("no files under " + dir);
        }
        List<VerifyJob> work = paths.stream().map(p -> new VerifyJob(null, NameBytes.relative(root, p).shown(), p, StampBook.keyOf(p), null, -1, null)).toList();
        ProgressLine progress = console.isTty() && !common.json && !common.quiet ? new ProgressLine(console.err()) : null;
        VerifyRun run = new VerifyRun(new FileVerifier(), StampBook.forAdHocFiles(common.storeRoot()), false, jobs, clock);
        List<VerificationResult> results = run.run(work, progress == null ? null : progress::show);
        if (run.stampSaveError() != null) {
            console.warn("could not save stamps (" + run.stampSaveError() + "); the next check will re-hash");
        }
        List<Sha256Sums.Entry> sums = new ArrayList<>();
        List<RegistryEntry> entries = new ArrayList<>();
        ExitCode code = ExitCode.OK;
        long bytes = 0;
        for (int i = 0; i < results.size(); i++) {
            VerificationResult r = results.get(i);
            String name = work.get(i).name();
            if (r.verdict() == Verdict.MISSING) {
                throw DepotException.failed(name + " disappeared while its checksum was computed");
            }
            if (!r.formatCheck().ok()) {
                console.warn(name + ": " + r.formatCheck().detail());
                code = ExitCode.INTEGRITY;
            }
            sums.add(new Sha256Sums.Entry(NameBytes.relative(root, r.path()), r.actualSha256(), false, i + 1));
            String fmt = FormatChecks.formatOf(r.path(), null);
            entries.add(new RegistryEntry(name, r.size(), r.actualSha256(), fmt.equals("unknown") ? null : fmt));
            bytes += r.size();
        }
        Path sumsFile = root.resolve(SUMS);
        AtomicFiles.write(sumsFile, Sha256Sums.format(sums));
        if (registryEntries) {
            console.out().println(Json.pretty(entries));
        } else if (common.json) {
            console.out().println(Json.pretty(new Generated(sumsFile.toString(), entries)));
        }
        String done = "wrote " + sumsFile + " (" + sums.size() + (sums.size() == 1 ? " file, " : " files, ") + Sizes.human(bytes) + ")";
        if (!common.quiet) {
            (registryEntries || common.json ? console.err() : console.out()).println(done);
        }
        if (code != ExitCode.OK) {
            console.warn("some files failed their structural check (see above): check them before publishing these checksums");
        }
        return code.code;
    }

    record Generated(String sumsFile, List<RegistryEntry> files) {}
}
