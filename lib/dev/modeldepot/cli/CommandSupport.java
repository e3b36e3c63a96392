package dev.modeldepot.cli;

import dev.modeldepot.api.ModelDepot;
import dev.modeldepot.api.ModelDepotBuilder;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Times;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.StoreOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the store's commands share: opening the store, naming variants, printing tables. */
final class CommandSupport {

    private CommandSupport() {}

    static ModelStore open(CommonOptions common) {
        return ModelStore.open(common.storeRoot(), Clock.systemUTC(), StoreOptions.defaults(common.env));
    }

    /** The registry, or null (with a warning) when it cannot be loaded: listing the store must still work. */
    static Registry registryOrNull(CommonOptions common) {
        try {
            return common.loadRegistry();
        } catch (DepotException e) {
            common.console().warn("registry unavailable (" + e.getMessage() + "); showing the store as recorded");
            return null;
        }
    }

    /**
     * The API over the store the options name, for {@code app}. With {@code registryRequired} off,
     * a registry that cannot be loaded is replaced by an empty one: pin and delete must still
     * reach stored variants by their literal model:variant names.
     */
    static ModelDepot depot(CommonOptions common, String app, boolean registryRequired) {
        Registry registry;
        try {
            registry = common.loadRegistry();
        } catch (DepotException e) {
            if (registryRequired) {
                throw e;
            }
            registry = new Registry(1, List.of(), List.of(), "none");
        }
        return builder(common, registry, app).offline(common.offline).build();
    }

    /** The API over the store the options name (--cache-dir, the environment), for {@code app}. */
    static ModelDepotBuilder builder(CommonOptions common, Registry registry, String app) {
        return ModelDepot.builder().registry(registry).cacheDir(common.storeRoot()).app(app).env(common.env);
    }

    static void printWarnings(Console console, ModelStore store) {
        store.warnings().forEach(console::warn);
    }

    static String when(Instant instant) {
        return Times.when(instant);
    }

    /** A plain left-aligned table; colour never carries meaning on its own. */
    static List<String> table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(i == cols - 1 ? r[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }
}
