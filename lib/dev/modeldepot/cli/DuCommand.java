package dev.modeldepot.cli;

import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.store.FileMeta;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.VariantMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code model-store du}: usage per model and in total, against the budget and the disk's free space. */
@Command(name = "du", mixinStandardHelpOptions = true,
        description = "Disk usage per model and in total, against the store's budget and the free disk space.")
class DuCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Option(names = "--set-budget", paramLabel = "SIZE", description = "Set the store's budget (0 clears it); prune shrinks to it by default.")
    String setBudget;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        app.resolve(common);
        ModelStore store = CommandSupport.open(common);
        if (setBudget != null) {
            store.saveSettings(store.settings().withBudget(Sizes.parse(setBudget)));
        }
        long budget = store.settings().budgetBytes();
        List<Map<String, Object>> models = new ArrayList<>();
        for (VariantMeta m : store.list(CommandSupport.registryOrNull(common))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", m.model());
            row.put("variant", m.variant());
            row.put("bytes", m.files().stream().filter(f -> f.stamp() != null).mapToLong(FileMeta::size).sum());
            row.put("apps", m.apps());
            row.put("lastUsed", m.lastUsed());
            models.add(row);
        }
        long total = store.usage();
        long partial = store.partialBytes();
        long quarantined = store.quarantine().bytes();
        long free = store.freeSpace();
        Console console = common.console();
        CommandSupport.printWarnings(console, store);
        if (common.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("store", store.layout().root().toString());
            out.put("models", models);
            // Names as in docs/json.md: bytes are bytes present (total would mean "expected").
            out.put("bytes", total);
            out.put("partialBytes", partial);
            out.put("quarantineBytes", quarantined);
            out.put("budget", budget);
            out.put("overBudget", budget > 0 && total > budget);
            out.put("freeDisk", free);
            console.out().println(Json.pretty(out));
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODEL", "SIZE", "APPS", "LAST USED"});
        for (Map<String, Object> r : models) {
            @SuppressWarnings("unchecked")
            List<String> apps = (List<String>) r.get("apps");
            rows.add(new String[] {r.get("id") + ":" + r.get("variant"), Sizes.human((Long) r.get("bytes")), apps.isEmpty() ? "-" : String.join(",", apps),
                    CommandSupport.when((java.time.Instant) r.get("lastUsed"))});
        }
        CommandSupport.table(rows).forEach(console::info);
        console.info("total " + Sizes.human(total) + " on disk (shared files counted once; partial downloads " + Sizes.human(partial)
                + " as kept so far; quarantine " + Sizes.human(quarantined) + ")"
                + (budget > 0 ? " of a " + Sizes.human(budget) + " budget" : ", no budget set") + "; free disk " + Sizes.human(free));
        if (budget > 0 && total > budget) {
            console.warn("the store is " + Sizes.human(total - budget) + " over its budget; run: model-store prune");
        }
        return 0;
    }
}
