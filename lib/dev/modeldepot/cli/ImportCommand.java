package dev.modeldepot.cli;

import dev.modeldepot.core.Json;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.Importer;
import dev.modeldepot.store.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code model-store import}: adopt files already on disk after checking them against the registry. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Adopt a file or folder already on disk (a USB copy, a bundle, a manual download) after verifying it "
                + "against the registry by sha256. The source is copied, never changed.")
class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Parameters(paramLabel = "PATH", description = "A file or a folder.")
    Path source;

    @Option(names = "--model", paramLabel = "ID[:VARIANT]", description = "The variant it should be (default: find it by sha256 across the registry).")
    String model;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        String name = app.resolve(common);
        Registry registry = common.loadRegistry();
        VariantRef target = model == null ? null : registry.resolve(model);
        ModelStore store = CommandSupport.open(common).forRegistry(registry);
        Importer.Report report = store.importPath(source.toAbsolutePath().normalize(), target, registry, name);
        Console console = common.console();
        CommandSupport.printWarnings(console, store);
        if (common.json) {
            console.out().println(Json.pretty(report));
            return 0;
        }
        report.skipped().forEach(s -> console.warn("skipped: " + s));
        report.variants().forEach((key, missing) -> console.info(missing.isEmpty()
                ? "imported " + key + ": complete"
                : "imported into " + key + ": still missing " + String.join(", ", missing)));
        return 0;
    }

}
