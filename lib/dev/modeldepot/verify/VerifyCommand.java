package dev.modeldepot.verify;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.Console;
import dev.modeldepot.cli.DepotException;
import dev.modeldepot.cli.Version;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.util.AtomicFiles;
import dev.modeldepot.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify-model-integrity", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Checks model files: SHA-256 against the registry or a SHA256SUMS file, and the structure of "
                + "GGUF, safetensors, zip-based PyTorch, ONNX and JSON files. Files verified before and unchanged since "
                + "(same size, mtime and inode) are trusted from their stamp in milliseconds; --deep re-hashes everything.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:all files ok", "1:files missing (nothing corrupt)", "2:bad input", "3:a file is corrupt (size, SHA-256 or structure)"})
public class VerifyCommand implements Callable<Integer> {
    private static final Pattern HEX64 = Pattern.compile("(?i)[0-9a-f]{64}");

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "MODEL[:VARIANT]", arity = "0..*", description = "Models in the store to verify (default variant when none is given).")
    List<String> models = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "Verify the models of a registry profile.")
    String profile;

    @Option(names = "--all", description = "Verify every model variant present in the store.")
    boolean all;

    @Option(names = "--file", paramLabel = "PATH", description = "Verify any file (repeatable).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256 of --file.")
    String sha256;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Structure to check --file against: gguf, safetensors, onnx, pt, bin, zip, json (default: by extension).")
    String format;

    @Option(names = "--sums", paramLabel = "FILE", description = "Verify the files listed in a coreutils SHA256SUMS file (names relative to its folder).")
    Path sums;

    @Option(names = "--generate", paramLabel = "DIR", description = "Write DIR/SHA256SUMS for every file under DIR.")
    Path generate;

    @Option(names = "--registry-entries", description = "With --generate: print registry `files` entries (path, size, sha256, format) as JSON.")
    boolean registryEntries;

    @Option(names = "--deep", description = "Re-hash every file, ignoring stamps.")
    boolean deep;

    @Option(names = "--quarantine", description = "Move a corrupt --file/--sums file into the store's quarantine/ folder with a note of why.")
    boolean quarantine;

    @Option(names = "--delete", description = "Delete a corrupt --file/--sums file.")
    boolean delete;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path report;

    @Option(names = "--jobs", paramLabel = "N", description = "Files verified at once (default: the number of cores).")
    int jobs;

    /** Replaceable in tests. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Console console = common.console();
        Path file = files.isEmpty() ? null : files.get(0);
        int modes = (file != null ? 1 : 0) + (sums != null ? 1 : 0) + (generate != null ? 1 : 0)
                + (!models.isEmpty() || profile != null || all ? 1 : 0);
        if (modes != 1) {
            throw DepotException.badInput("say what to verify: MODEL[:VARIANT]..., --profile, --all, --file, --sums or --generate (exactly one of them)");
        }
        if ((models.isEmpty() ? 0 : 1) + (profile != null ? 1 : 0) + (all ? 1 : 0) > 1) {
            throw DepotException.badInput("give models, --profile or --all, not several of them");
        }
        if (report != null && generate != null) {
            throw DepotException.badInput("--report goes with a verification, not with --generate (use --json)");
        }
        if ((sha256 != null || format != null) && file == null) {
            throw DepotException.badInput("--sha256 and --format apply to --file only");
        }
        if (sha256 != null && files.size() > 1) {
            throw DepotException.badInput("--sha256 needs exactly one --file");
        }
        if (sha256 != null && !HEX64.matcher(sha256).matches()) {
            throw DepotException.badInput("--sha256 must be 64 hexadecimal characters");
        }
        if (quarantine && delete) {
            throw DepotException.badInput("choose --quarantine or --delete, not both");
        }
        if ((quarantine || delete) && file == null && sums == null) {
            throw DepotException.badInput("--quarantine and --delete apply to --file and --sums; store files are handled by model-store");
        }
        if (registryEntries && generate == null) {
            throw DepotException.badInput("--registry-entries goes with --generate");
        }
        if (jobs < 0) {
            throw DepotException.badInput("--jobs must be at least 1");
        }
        if (generate != null) {
            return new SumsGenerator(common, console, clock, jobs).generate(generate, registryEntries);
        }
        Integer malformed = null;
        List<VerifyJob> work;
        StampBook stamps;
        if (file != null) {
            work = files.stream().map(f -> VerifyJob.ofFile(f, sha256, -1, format)).toList();
            stamps = StampBook.forAdHocFiles(common.storeRoot());
        } else if (sums != null) {
            Sha256Sums.Parsed parsed = readSums(sums);
            malformed = parsed.malformedLines();
            work = parsed.entries().stream()
                    .map(e -> new VerifyJob(null, e.name(), parsed.resolve(e), StampBook.keyOf(parsed.resolve(e)), e.sha256(), -1, null))
                    .toList();
            stamps = StampBook.forAdHocFiles(common.storeRoot());
        } else {
            work = storeJobs(common.loadRegistry(), common.storeRoot());
            stamps = StampBook.forStore(common.storeRoot());
            if (work.isEmpty() && !common.json) {
                console.info("no model variant is in the store at " + common.storeRoot() + "; nothing to verify");
                return 0;
            }
        }
        return run(console, work, stamps, malformed);
    }

    private int run(Console console, List<VerifyJob> work, StampBook stamps, Integer malformed) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ProgressLine progress = console.isTty() && !common.json && !common.quiet ? new ProgressLine(console.err()) : null;
        VerifyRun verifyRun = new VerifyRun(new FileVerifier(), stamps, deep, jobs, clock);
        List<VerificationResult> results = verifyRun.run(work, progress == null ? null : progress::show);
        if (verifyRun.stampSaveError() != null) {
            console.warn("could not save stamps in " + stamps.file() + " (" + verifyRun.stampSaveError() + "); the next check will re-hash");
        }
        List<FileReport> files = new ArrayList<>();
        CorruptFiles corrupt = new CorruptFiles(common.storeRoot(), clock);
        for (int i = 0; i < results.size(); i++) {
            VerificationResult r = results.get(i);
            FileReport entry = FileReport.of(work.get(i), r, null);
            if (r.verdict().corrupt() && (quarantine || delete)) {
                String action;
                if (quarantine) {
                    action = "quarantined to " + corrupt.quarantine(r.path(), entry);
                } else {
                    corrupt.delete(r.path());
                    action = "deleted";
                }
                entry = FileReport.of(work.get(i), r, action);
            }
            files.add(entry);
        }
        VerifyReport result = VerifyReport.of(files, FileVerifier.secondsSince(started), malformed);
        if (report != null) {
            AtomicFiles.write(report, Json.pretty(result).getBytes(StandardCharsets.UTF_8));
        }
        if (common.json) {
            console.out().println(Json.pretty(result));
        } else {
            result.print(console);
        }
        if (malformed != null) {
            sumsWarnings(console, malformed, result);
        }
        return result.exitCode();
    }

    /** The warnings sha256sum -c prints, on stderr, so users of either tool read the same thing. */
    private void sumsWarnings(Console console, int malformed, VerifyReport result) {
        if (malformed > 0) {
            console.warn(malformed + (malformed == 1 ? " line is" : " lines are") + " improperly formatted");
        }
        int missing = result.summary().missing();
        if (missing > 0) {
            console.warn(missing + (missing == 1 ? " listed file" : " listed files") + " could not be read");
        }
        long mismatched = result.files().stream().filter(f -> f.verdict() == Verdict.HASH_MISMATCH).count();
        if (mismatched > 0) {
            console.warn(mismatched + (mismatched == 1 ? " computed checksum" : " computed checksums") + " did NOT match");
        }
    }

    private static Sha256Sums.Parsed readSums(Path sumsFile) throws IOException {
        if (!Files.isRegularFile(sumsFile)) {
            throw DepotException.badInput("no such checksum file: " + sumsFile);
        }
        Sha256Sums.Parsed parsed = Sha256Sums.read(sumsFile);
        if (parsed.entries().isEmpty()) {
            throw DepotException.badInput(sumsFile + ": no properly formatted checksum lines found");
        }
        return parsed;
    }

    /** Registry variants to the files at their readable store paths, models/&lt;id&gt;/&lt;variant&gt;/&lt;path&gt;. */
    private List<VerifyJob> storeJobs(Registry registry, Path storeRoot) {
        List<VariantRef> refs;
        if (all) {
            refs = new ArrayList<>();
            for (var model : registry.models()) {
                for (var variant : model.variants()) {
                    if (Files.isDirectory(variantFolder(storeRoot, model.id(), variant.id()))) {
                        refs.add(new VariantRef(model, variant));
                    }
                }
            }
        } else if (profile != null) {
            refs = registry.resolveProfile(profile);
        } else {
            refs = registry.resolveAll(models);
        }
        List<VerifyJob> work = new ArrayList<>();
        for (VariantRef ref : refs) {
            Path folder = variantFolder(storeRoot, ref.model().id(), ref.variant().id());
            for (ModelFile f : ref.variant().files()) {
                work.add(new VerifyJob(ref.key(), f.path(), folder.resolve(f.path()), StampBook.storeKey(ref.key(), f.path()),
                        f.sha256(), f.size(), f.format()));
            }
        }
        return work;
    }

    static Path variantFolder(Path storeRoot, String model, String variant) {
        return storeRoot.resolve("models").resolve(model).resolve(variant);
    }
}
