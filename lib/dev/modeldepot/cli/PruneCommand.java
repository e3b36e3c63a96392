package dev.modeldepot.cli;

import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.core.Times;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.Pruner;
import java.time.Duration;
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

/** {@code model-store prune}: free space without touching what apps pin or what is being downloaded. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Remove orphaned blobs and stale partials, then least-recently-used unpinned models down to a size.")
class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AppOption app;

    @Option(names = "--max-size", paramLabel = "SIZE", description = "Shrink the store to this size (default: the budget in store.json, if set).")
    String maxSize;

    @Option(names = "--older-than", paramLabel = "DURATION", description = "Only remove models unused (and partials untouched) for this long, e.g. 30d.")
    String olderThan;

    @Option(names = "--dry-run", description = "Show what would go and how much it frees; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = CommonOptions.of(spec);
        app.resolve(common);
        Long max = maxSize == null ? null : Sizes.parse(maxSize);
        Duration older = olderThan == null ? null : Sizes.parseDuration(olderThan);
        ModelStore store = CommandSupport.open(common);
        Pruner.Report report = store.prune(max, older, dryRun, CommandSupport.registryOrNull(common));
        Console console = common.console();
        CommandSupport.printWarnings(console, store);
        if (report.target() >= 0 && report.usageAfter() > report.target()) {
            console.warn("the store stays " + Sizes.human(report.usageAfter() - report.target()) + " over " + Sizes.human(report.target())
                    + ": the rest is pinned by apps or in use (see model-store list)");
        }
        if (common.json) {
            // Names as in docs/json.md: a model's action carries id and variant; store sizes are bytes, as in du.
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("actions", report.actions());
            out.put("freed", report.freed());
            out.put("bytesBefore", report.usageBefore());
            out.put("bytesAfter", report.usageAfter());
            out.put("target", report.target());
            out.put("dryRun", dryRun);
            console.out().println(Json.pretty(out));
            return 0;
        }
        if (report.actions().isEmpty()) {
            console.info("nothing to prune (store uses " + Sizes.human(report.usageBefore()) + ")");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {dryRun ? "WOULD REMOVE" : "REMOVED", "WHAT", "FREES"});
        report.actions().forEach(a -> rows.add(new String[] {a.kind(),
                a.name() + (a.lastUsed() == null ? "" : " (last used " + Times.when(a.lastUsed()) + " UTC)"), Sizes.human(a.bytes())}));
        CommandSupport.table(rows).forEach(console::info);
        console.info((dryRun ? "would free " : "freed ") + Sizes.human(report.freed()) + "; store "
                + Sizes.human(report.usageBefore()) + " -> " + Sizes.human(report.usageAfter()));
        return 0;
    }
}
