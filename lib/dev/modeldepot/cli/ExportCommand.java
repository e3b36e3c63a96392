package dev.modeldepot.cli;

import dev.modeldepot.bundle.BundleExporter;
import dev.modeldepot.bundle.BundleSource;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.registry.Profile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code model-store export}: ready models from the store into an offline bundle. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write ready models from the store into an offline bundle (a folder, or a plain POSIX tar), with a "
                + "manifest of their registry entries and a SHA256SUMS that sha256sum -c accepts. Nothing is downloaded.",
        footerHeading = "%nExamples:%n",
        footer = {"  model-store export --profile minimal --to /media/usb/models.tar --split 4G",
                "  model-store export llava-1.6-mistral-7b:q4_k_m --to ./bundle"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the bundle is complete", "1:a model is not ready in the store", "2:bad input",
                "3:a store file does not match its sha256 (nothing exported)"})
class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "MODEL[:VARIANT]", description = "Models to export (or --profile).")
    List<String> models = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "Export the models of a registry profile.")
    String profile;

    @Option(names = "--to", required = true, paramLabel = "DIR|FILE.tar", description = "Where the bundle goes; must not exist yet.")
    Path to;

    @Option(names = "--split", paramLabel = "SIZE", description = "With a .tar: parts of at most SIZE (e.g. 4G for FAT32), named FILE.tar.part1, .part2, ...")
    String split;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        if ((profile == null) == models.isEmpty()) {
            throw DepotException.badInput("give models or --profile (one of them)");
        }
        long splitBytes = split == null ? 0 : Sizes.parse(split);
        if (split != null && splitBytes < 10240) {
            throw DepotException.badInput("--split must be at least 10K (one tar record), found " + split);
        }
        Registry registry = common.loadRegistry();
        List<VariantRef> refs = profile != null ? registry.resolveProfile(profile) : registry.resolveAll(models);
        List<Profile> profiles = profile == null ? List.of() : List.of(registry.profile(profile).orElseThrow());
        ModelStore store = CommandSupport.open(common).forRegistry(registry);
        Console console = common.console();
        BundleLines lines = new BundleLines(console, common);
        BundleExporter.Report report = new BundleExporter(store, BundleSource.HASHER_THREADS)
                .export(refs, profiles, to.toAbsolutePath().normalize(), splitBytes, lines::update, () -> Thread.currentThread().isInterrupted());
        lines.finish();
        if (common.json) {
            console.out().println(Json.pretty(report));
        } else {
            console.info("exported " + refs.size() + " variant(s), " + report.blobs() + " file(s), " + Sizes.human(report.bytes()) + " to "
                    + (report.files().size() == 1 ? report.files().get(0) : report.files().size() + " parts: " + report.files().get(0) + " ..."));
        }
        return 0;
    }
}
