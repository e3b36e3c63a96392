package dev.modeldepot.cli;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.store.ModelStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code model-store delete}: removes a variant and the blobs nothing else needs. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a stored model variant; refuses (exit 1) while another app pins it, unless --force.")
class DeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Mixin
    ModelRefArg model;

    @Option(names = "--force", description = "Delete even though other apps pin it.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        String name = app.resolve(common);
        ModelDepot depot = CommandSupport.depot(common, name, false);
        ModelStore store = depot.store();
        String[] mv = depot.storedVariant(model.value());
        long freed = depot.delete(model.value(), force);
        CommandSupport.printWarnings(common.console(), store);
        common.console().info("deleted " + mv[0] + ":" + mv[1] + " (freed " + dev.modeldepot.core.Sizes.human(freed) + ")");
        return 0;
    }
}
