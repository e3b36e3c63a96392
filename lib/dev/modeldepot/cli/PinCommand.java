package dev.modeldepot.cli;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.api.StoredModel;
import dev.modeldepot.core.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code model-store pin|unpin}: an app declares that it uses (or no longer uses) a stored variant. */
class PinCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Mixin
    ModelRefArg model;

    private final boolean add;

    PinCommand(boolean add) {
        this.add = add;
    }

    @Override
    public Integer call() {
        CommonOptions common = CommonOptions.of(spec);
        String name = app.require(common);
        ModelDepot depot = CommandSupport.depot(common, name, false);
        StoredModel meta = add ? depot.pin(model.value()) : depot.unpin(model.value());
        if (common.json) {
            common.console().out().println(Json.line(Map.of("key", meta.key(), "apps", meta.apps())));
        } else {
            common.console().info((add ? "pinned " : "unpinned ") + meta.key() + " for " + name
                    + " (apps now: " + (meta.apps().isEmpty() ? "none" : String.join(", ", meta.apps())) + ")");
        }
        return 0;
    }

    @Command(name = "pin", mixinStandardHelpOptions = true, description = "Declare that an app uses a stored model: prune keeps it, delete asks first.")
    static class Pin extends PinCommand {
        Pin() {
            super(true);
        }
    }

    @Command(name = "unpin", mixinStandardHelpOptions = true, description = "Declare that an app no longer uses a stored model.")
    static class Unpin extends PinCommand {
        Unpin() {
            super(false);
        }
    }
}
