package dev.modeldepot.cli;

import dev.modeldepot.bundle.Bundle;
import dev.modeldepot.bundle.BundleImporter;
import dev.modeldepot.bundle.BundleSource;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.store.ModelStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code model-store import-bundle}: install an offline bundle into the store, verifying every file. */
@Command(name = "import-bundle", mixinStandardHelpOptions = true,
        description = "Install every model of an offline bundle into the store, exactly as a download would, with no "
                + "network. Every file is verified first; a damaged bundle changes nothing. Blobs already in the store "
                + "are skipped, and an interrupted import resumes.",
        footerHeading = "%nExamples:%n",
        footer = {"  model-store import-bundle /media/usb/models.tar --app photo-app",
                "  model-store import-bundle /media/usb/models.tar.part1", "  model-store import-bundle ./bundle"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything in the bundle is installed", "1:the import failed", "2:not a bundle, a part is missing, or an unknown bundle version",
                "3:a bundle file does not match its sha256 (nothing installed)", "130:interrupted (run again to resume)"})
class ImportBundleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Parameters(paramLabel = "BUNDLE", description = "A bundle folder, FILE.tar, or any FILE.tar.partN.")
    Path source;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        String appName = app.resolve(common);
        ModelStore store = CommandSupport.open(common);
        Console console = common.console();
        ProgressPrinter printer = new ProgressPrinter(common.json ? ProgressPrinter.Mode.JSON
                : common.quiet ? ProgressPrinter.Mode.QUIET : console.isTty() ? ProgressPrinter.Mode.TTY : ProgressPrinter.Mode.PLAIN,
                common.json ? console.out() : console.err(), Clock.systemUTC());
        Cancellation cancel = new Cancellation();
        try (Bundle bundle = Bundle.open(source.toAbsolutePath().normalize())) {
            BundleImporter.Report report = new BundleImporter(store, BundleSource.HASHER_THREADS).importAll(bundle, appName, printer, cancel);
            CommandSupport.printWarnings(console, store);
            if (common.json) {
                console.out().println(Json.line(report));
            } else {
                console.info("installed " + String.join(", ", report.variants()) + " from " + bundle.where() + ": "
                        + report.blobsCopied() + " file(s) copied (" + Sizes.human(report.bytesCopied()) + "), "
                        + report.blobsPresent() + " already in the store");
            }
            return 0;
        }
    }
}
