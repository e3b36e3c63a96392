package dev.modeldepot.cli;

import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.VariantMeta;
import dev.modeldepot.store.VariantStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code model-store list}: what the store holds, its state, and who uses it. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the stored model variants (table, or --json).")
class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Override
    public Integer call() {
        CommonOptions common = CommonOptions.of(spec);
        app.resolve(common);
        ModelStore store = CommandSupport.open(common);
        Registry registry = CommandSupport.registryOrNull(common);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (VariantMeta meta : store.list(registry)) {
            VariantRef ref = registry == null ? ModelStore.refOf(meta)
                    : ModelStore.refOf(registry, meta.model(), meta.variant()).orElse(ModelStore.refOf(meta));
            VariantStatus status = store.status(ref, false);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", meta.model());
            row.put("variant", meta.variant());
            row.put("size", status.size());
            row.put("state", status.state().word());
            row.put("percent", status.percent());
            row.put("bytes", status.present());
            row.put("total", status.size());
            row.put("apps", meta.apps());
            row.put("lastUsed", meta.lastUsed());
            row.put("verifiedAt", status.verifiedAt());
            row.put("path", store.layout().variantDir(meta.model(), meta.variant()).toString());
            rows.add(row);
        }
        Console console = common.console();
        CommandSupport.printWarnings(console, store);
        if (common.json) {
            console.out().println(Json.pretty(rows));
            return 0;
        }
        if (rows.isEmpty()) {
            console.info("the store at " + store.layout().root() + " holds no models yet");
            return 0;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"MODEL", "VARIANT", "SIZE", "STATE", "APPS", "LAST USED", "VERIFIED"});
        for (Map<String, Object> r : rows) {
            @SuppressWarnings("unchecked")
            List<String> apps = (List<String>) r.get("apps");
            table.add(new String[] {(String) r.get("id"), (String) r.get("variant"), Sizes.human((Long) r.get("size")), (String) r.get("state"),
                    apps.isEmpty() ? "-" : String.join(",", apps), CommandSupport.when((java.time.Instant) r.get("lastUsed")),
                    CommandSupport.when((java.time.Instant) r.get("verifiedAt"))});
        }
        CommandSupport.table(table).forEach(console::info);
        return 0;
    }
}
