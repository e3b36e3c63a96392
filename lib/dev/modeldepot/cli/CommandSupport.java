package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Times;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
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

    /** MODEL[:VARIANT] to a (model, variant) pair: by the registry, else literally for a stored variant it no longer lists. */
    static String[] storedVariant(CommonOptions common, ModelStore store, String spec) {
        try {
            VariantRef ref = common.loadRegistry().resolve(spec);
            return new String[] {ref.model().id(), ref.variant().id()};
        } catch (DepotException e) {
            String[] parts = spec.split(":", 2);
            if (parts.length == 2 && store.meta(parts[0], parts[1]).isPresent()) {
                return parts;
            }
            throw e;
        }
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
