package dev.modeldepot.cli;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Version;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.store.CorruptFiles;
import dev.modeldepot.store.Fetchers;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.StoreOptions;
import dev.modeldepot.verify.FileReport;
import dev.modeldepot.verify.FileVerifier;
import dev.modeldepot.verify.FormatChecks;
import dev.modeldepot.verify.Sha256Sums;
import dev.modeldepot.verify.SumsNames;
import dev.modeldepot.verify.StampBook;
import dev.modeldepot.verify.Stamps;
import dev.modeldepot.verify.Verdict;
import dev.modeldepot.verify.VerificationResult;
import dev.modeldepot.verify.VerifyJob;
import dev.modeldepot.verify.VerifyRun;
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

@Command(name = "verify-model-integrity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Checks model files: SHA-256 against the registry or a SHA256SUMS file, and the structure of "
                + "GGUF, safetensors, zip-based PyTorch, ONNX and JSON files. Files verified before and unchanged since "
                + "(same size, mtime and inode) are trusted from their stamp in milliseconds (store files share their stamps with "
                + "check-models); --deep re-hashes everything. --quarantine, --delete or --repair deal with corrupt files.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:all files ok", "1:files missing (nothing corrupt)", "2:bad input", "3:a file is corrupt (size, SHA-256 or structure)"})
public class VerifyCommand implements Callable<Integer> {
    private static final Pattern HEX64 = Pattern.compile("(?i)[0-9a-f]{64}");

    @Mixin
    public CommonOptions common;

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

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = FormatChecks.Names.class,
            description = "Structure to check --file against: ${COMPLETION-CANDIDATES} (default: by extension).")
    String format;

    @Option(names = "--sums", paramLabel = "FILE", description = "Verify the files listed in a coreutils SHA256SUMS file (names relative to its folder).")
    Path sums;

    @Option(names = "--generate", paramLabel = "DIR", description = "Write DIR/SHA256SUMS for every file under DIR.")
    Path generate;

    @Option(names = "--registry-entries", description = "With --generate: print registry `files` entries (path, size, sha256, format) as JSON.")
    boolean registryEntries;

    @Option(names = "--deep", description = "Re-hash every file, ignoring stamps.")
    boolean deep;

    @Option(names = "--quarantine", description = "Move a corrupt file into the store's quarantine/ folder with a note of why (store files: their blob, and the links to it).")
    boolean quarantine;

    @Option(names = "--delete", description = "Delete a corrupt file (store files: their blob, and the links to it).")
    boolean delete;

    @Option(names = "--repair", description = "Fetch corrupt (and missing) store files again through the download engine and verify them again; "
            + "with --file, needs --url and --sha256.")
    boolean repair;

    @Option(names = "--url", paramLabel = "URL", description = "With --repair --file: where to fetch the file again.")
    java.net.URI url;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path report;

    @Option(names = "--jobs", paramLabel = "N", description = "Files verified at once (default: the number of cores).")
    int jobs;

    /** Replaceable in tests. */
    public Clock clock = Clock.systemUTC();

    /** Where repairs download from: the download engine (tests may point it elsewhere). */
    public java.util.function.Function<CommonOptions, FileFetcher> fetchers = c -> Fetchers.forEnvironment(c.env, c.offline);

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
        if (format != null && !FormatChecks.knows(format.toLowerCase(java.util.Locale.ROOT))) {
            throw DepotException.badInput("--format must be one of " + String.join(", ", FormatChecks.FORMATS) + "; got " + format);
        }
        if (sha256 != null && files.size() > 1) {
            throw DepotException.badInput("--sha256 needs exactly one --file");
        }
        if (sha256 != null && !HEX64.matcher(sha256).matches()) {
            throw DepotException.badInput("--sha256 must be 64 hexadecimal characters");
        }
        if ((quarantine ? 1 : 0) + (delete ? 1 : 0) + (repair ? 1 : 0) > 1) {
            throw DepotException.badInput("choose one of --quarantine, --delete and --repair");
        }
        if ((quarantine || delete || repair) && generate != null) {
            throw DepotException.badInput("--quarantine, --delete and --repair go with a verification, not with --generate");
        }
        if (url != null && (!repair || file == null || files.size() > 1)) {
            throw DepotException.badInput("--url goes with --repair of exactly one --file");
        }
        if (repair && sums != null) {
            throw DepotException.badInput("--repair works on store models and on --file with --url; a sums file gives no URL to fetch from");
        }
        if (repair && file != null && url == null) {
            throw DepotException.badInput("--repair of a --file needs --url URL to fetch it again from");
        }
        if (repair && file != null && sha256 == null) {
            throw DepotException.badInput("--repair of a --file needs --sha256 HEX to verify what it fetches");
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
        if (file != null) {
            work = files.stream().map(f -> VerifyJob.ofFile(f, sha256 == null ? null : sha256.toLowerCase(java.util.Locale.ROOT), -1, format)).toList();
        } else if (sums != null) {
            Sha256Sums.Parsed parsed = readSums(sums);
            refuseUnsafeNames(parsed, quarantine || delete);
            malformed = parsed.malformedLines();
            work = parsed.entries().stream()
                    .map(e -> new VerifyJob(null, e.name().shown(), parsed.resolve(e), StampBook.keyOf(parsed.resolve(e)), e.sha256(), -1, null))
                    .toList();
        } else {
            Registry registry = common.loadRegistry();
            ModelStore store = ModelStore.open(common.storeRoot(), clock, StoreOptions.defaults(common.env)).forRegistry(registry);
            StoreJobs storeJobs = StoreJobs.of(store, registry, models, profile, all);
            if (storeJobs.work().isEmpty() && !common.json) {
                console.info("no model variant is in the store at " + common.storeRoot() + "; nothing to verify");
                return 0;
            }
            return run(console, storeJobs.work(), storeJobs.stamps(), null, storeJobs);
        }
        return run(console, work, StampBook.forAdHocFiles(common.storeRoot()), malformed, null);
    }

    private int run(Console console, List<VerifyJob> work, Stamps stamps, Integer malformed, StoreJobs store) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ProgressLine progress = console.isTty() && !common.json && !common.quiet ? new ProgressLine(console.err()) : null;
        VerifyRun verifyRun = new VerifyRun(new FileVerifier(), stamps, deep, jobs, clock);
        List<VerificationResult> results = new ArrayList<>(verifyRun.run(work, progress == null ? null : progress::show));
        if (verifyRun.stampSaveError() != null) {
            console.warn("could not save stamps in " + stamps.where() + " (" + verifyRun.stampSaveError() + "); the next check will re-hash");
        }
        Repairs repairs = new Repairs(common, console, clock, stamps, jobs, () -> fetchers.apply(common));
        List<FileReport> files = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            VerifyJob job = work.get(i);
            VerificationResult r = results.get(i);
            FileReport entry = FileReport.of(job, r, null);
            if (store != null && r.verdict().usable()) {
                entry = store.checkReadable(job, entry, deep);
            }
            if (r.verdict().corrupt() && (quarantine || delete)) {
                entry = FileReport.of(job, r, store != null ? store.discard(job, entry, quarantine) : discard(r.path(), entry));
            } else if (repair && (r.verdict().corrupt() || r.verdict() == Verdict.MISSING || entry.verdict() == Verdict.DAMAGED_LINK)) {
                if (entry.verdict() == Verdict.DAMAGED_LINK) {
                    repairs.relinking(job);
                }
                if (store != null) {
                    store.wantRepair(job);
                } else {
                    repairs.fromUrl(job, url);
                }
            }
            files.add(entry);
        }
        if (store != null) {
            store.repair(repairs);
        }
        repairs.applyTo(work, files);
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

    private String discard(Path path, FileReport entry) throws IOException {
        CorruptFiles corrupt = new CorruptFiles(common.storeRoot(), clock);
        if (quarantine) {
            return "quarantined to " + corrupt.quarantine(path, entry);
        }
        corrupt.delete(path);
        return "deleted";
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

    /**
     * Names are resolved against the sums file's folder and must stay in it, for every action: a
     * hostile sums file must not make --delete or --quarantine reach other files (exit 2, before
     * anything is read or changed).
     */
    private void refuseUnsafeNames(Sha256Sums.Parsed parsed, boolean willChangeFiles) {
        List<String> unsafe = new ArrayList<>();
        for (Sha256Sums.Entry e : parsed.entries()) {
            String why = SumsNames.whyUnsafe(parsed.folder(), e.name(), willChangeFiles);
            if (why != null) {
                unsafe.add("line " + e.line() + " '" + dev.modeldepot.core.Printable.of(e.name().shown()) + "' (" + why + ")");
            }
        }
        if (!unsafe.isEmpty()) {
            throw DepotException.badInput(sums + ": unsafe name" + (unsafe.size() == 1 ? " " : "s ")
                    + String.join(", ", unsafe.subList(0, Math.min(5, unsafe.size()))) + (unsafe.size() > 5 ? " and " + (unsafe.size() - 5) + " more" : "")
                    + "; names must stay inside the sums file's folder, so nothing was verified or changed");
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
}
