package dev.modeldepot.cli;

import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.Quarantine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code model-store quarantine list|clear}: the corrupt files the store set aside, and removing them. */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = "List or clear the corrupt files and damaged metadata the store set aside (prune clears those older than 7 days).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:bad input"},
        subcommands = {QuarantineCommand.ListIt.class, QuarantineCommand.Clear.class})
class QuarantineCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say list or clear");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "What is in quarantine: when, what it was, why, and its size.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed (also when empty)", "2:bad input"})
    static class ListIt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AppOption app;

        @Override
        public Integer call() throws Exception {
            CommonOptions common = CommonOptions.of(spec);
            app.resolve(common);
            ModelStore store = CommandSupport.open(common);
            List<Quarantine.Entry> entries = store.quarantine().entries();
            print(common, entries, "QUARANTINED", "in quarantine");
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Delete quarantined files (all, or those older than --older-than).",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:cleared (or would clear, with --dry-run)", "1:a file could not be deleted", "2:bad input"})
    static class Clear implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AppOption app;

        @Option(names = "--older-than", paramLabel = "DURATION", description = "Only those quarantined longer ago than this, e.g. 7d.")
        String olderThan;

        @Option(names = "--dry-run", description = "Show what would go; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            CommonOptions common = CommonOptions.of(spec);
            app.resolve(common);
            Duration older = olderThan == null ? null : Sizes.parseDuration(olderThan);
            ModelStore store = CommandSupport.open(common);
            List<Quarantine.Entry> gone = store.quarantine().clear(older, dryRun);
            print(common, gone, dryRun ? "WOULD REMOVE" : "REMOVED", dryRun ? "would be freed" : "freed");
            return 0;
        }
    }

    private static void print(CommonOptions common, List<Quarantine.Entry> entries, String heading, String totalWord) {
        Console console = common.console();
        long total = entries.stream().mapToLong(Quarantine.Entry::bytes).sum();
        if (common.json) {
            console.out().println(Json.pretty(Map.of("entries", entries, "bytes", total)));
            return;
        }
        if (entries.isEmpty()) {
            console.info("quarantine is empty");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {heading, "WHEN (UTC)", "SIZE", "WAS", "WHY"});
        for (Quarantine.Entry e : entries) {
            rows.add(new String[] {e.name(), CommandSupport.when(e.quarantinedAt()), Sizes.human(e.bytes()),
                    e.file() == null ? "-" : e.file(), e.reason() == null ? "-" : e.reason()});
        }
        CommandSupport.table(rows).forEach(console::info);
        console.info(Sizes.human(total) + " " + totalWord);
    }
}
