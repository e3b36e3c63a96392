package dev.modeldepot.cli;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.ModelStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code model-store path}: the verified path of a variant (or one of its files), for scripts. */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Print the verified folder of a model variant, or of one file with --file; exit 1 if it is not ready.")
class PathCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Mixin
    ModelRefArg model;

    @Option(names = "--file", paramLabel = "F", description = "A file of the variant, as the registry names it.")
    String file;

    @Override
    public Integer call() {
        CommonOptions common = CommonOptions.of(spec);
        ModelDepot depot = CommandSupport.depot(common, app.resolve(common), true);
        VariantRef named = depot.resolve(model.value());
        // An hf:// or oci:// variant's files are those of its last resolution here (path never goes online).
        VariantRef ref = named.variant().resolved() ? named : depot.store().lastResolution(named).orElse(named);
        ModelFile wanted = null;
        if (file != null) {
            wanted = ref.variant().file(file).orElseThrow(() -> DepotException.badInput(ref.key() + " has no file '" + file + "' (files: "
                    + String.join(", ", ref.variant().files().stream().map(ModelFile::path).toList()) + ")"));
        }
        ModelStore store = depot.store();
        Path dir = store.path(ref).orElseThrow(() -> DepotException.failed(ref.key() + " is not ready ("
                + store.status(ref, false).label() + "); run: check-models " + ref.key() + " --download"));
        Path result = wanted == null ? dir : store.layout().readablePath(ref, wanted);
        CommandSupport.printWarnings(common.console(), store);
        common.console().out().println(common.json ? Json.line(Map.of("key", ref.key(), "path", result.toString())) : result.toString());
        return 0;
    }
}
