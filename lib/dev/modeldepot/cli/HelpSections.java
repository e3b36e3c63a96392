package dev.modeldepot.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Every command's and subcommand's --help ends with real examples and the exit codes, kept in
 * one table so they read alike. Commands with their own exit-code list keep it.
 */
final class HelpSections {
    private HelpSections() {}

    static final String EXAMPLES = "examples";

    /** By qualified command name ("model-store prune"). */
    static final Map<String, List<String>> EXAMPLES_BY_COMMAND = new LinkedHashMap<>();

    static {
        ex("download-model-with-progress",
                "download-model-with-progress llava-1.6-mistral-7b:q4_k_m",
                "download-model-with-progress --profile minimal --json",
                "download-model-with-progress --url https://host/m.gguf --sha256 HEX -o models/m.gguf");
        ex("verify-model-integrity",
                "verify-model-integrity --all",
                "verify-model-integrity --file model.gguf --sha256 HEX",
                "verify-model-integrity --sums models/SHA256SUMS --json");
        ex("check-models",
                "check-models",
                "check-models --profile minimal --json",
                "check-models --download --yes");
        ex("model-store",
                "model-store list",
                "model-store path llava-1.6-mistral-7b",
                "model-store prune --max-size 50G --dry-run");
        ex("model-store registry", "model-store registry validate my-registry.json",
                "model-store registry add --file ./model.gguf --role weights");
        ex("model-store registry validate", "model-store registry validate my-registry.json");
        ex("model-store registry add", "model-store registry add --file ./model.gguf --role weights",
                "model-store --registry my-registry.json registry add --url https://host/m.gguf --model my-llm --variant q4");
        ex("model-store registry import", "model-store registry import --gpt4all models3.json -o gpt4all-registry.json");
        ex("model-store list", "model-store list", "model-store list --json");
        ex("model-store path", "model-store path llava-1.6-mistral-7b", "model-store path llava-1.6-mistral-7b --file model.gguf");
        ex("model-store import", "model-store import /media/usb/models", "model-store import ./m.gguf --model my-llm:q4");
        ex("model-store pin", "model-store pin llava-1.6-mistral-7b --app photo-app");
        ex("model-store unpin", "model-store unpin llava-1.6-mistral-7b --app photo-app");
        ex("model-store delete", "model-store delete sdxl-base-1.0", "model-store delete sdxl-base-1.0 --force");
        ex("model-store prune", "model-store prune --dry-run", "model-store prune --max-size 50G --older-than 30d");
        ex("model-store du", "model-store du", "model-store du --set-budget 100G");
        ex("model-store serve", "model-store serve --port 8765", "model-store serve --port 0 --max-active 2");
        ex("model-store quarantine", "model-store quarantine list", "model-store quarantine clear --older-than 7d");
        ex("model-store quarantine list", "model-store quarantine list", "model-store quarantine list --json");
        ex("model-store quarantine clear", "model-store quarantine clear --dry-run", "model-store quarantine clear --older-than 7d");
        ex("model-store push", "model-store push oci://registry.example:5000/models/llava:q4 llava-1.6-mistral-7b:q4_k_m");
        ex("model-store install-commands", "model-store install-commands", "model-store install-commands --bin ~/bin",
                "model-store install-commands --uninstall");
        ex("model-dashboard", "model-dashboard --demo", "model-dashboard --profile minimal");
    }

    private static void ex(String command, String... lines) {
        EXAMPLES_BY_COMMAND.put(command, List.of(lines));
    }

    static final String[] DEFAULT_EXIT_CODES = {"0:done", "1:failed (network, HTTP error, not found, disk full)",
            "2:bad input (usage, registry, unknown model)", "3:integrity (wrong size or SHA-256, corrupt file)",
            "130:interrupted (run the same command again to resume)"};

    /** Adds the examples and, where a command has none, the standard exit codes, to it and every subcommand. */
    static void addTo(CommandLine root) {
        List<String> keys = new ArrayList<>(root.getHelpSectionKeys());
        if (!keys.contains(EXAMPLES)) {
            keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING), EXAMPLES);
            root.setHelpSectionKeys(keys); // picocli applies the order to every subcommand
        }
        addSections(root);
    }

    private static void addSections(CommandLine cl) {
        UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        boolean footerHasCodes = String.join("\n", usage.footer()).contains("Exit codes");
        if (usage.exitCodeList().isEmpty() && !footerHasCodes) {
            usage.exitCodeListHeading("%nExit codes:%n");
            usage.exitCodeList(toMap(DEFAULT_EXIT_CODES));
        }
        List<String> examples = EXAMPLES_BY_COMMAND.getOrDefault(cl.getCommandSpec().qualifiedName(), List.of());
        cl.getHelpSectionMap().put(EXAMPLES, new ExamplesSection(examples));
        cl.getSubcommands().values().forEach(HelpSections::addSections);
    }

    /**
     * The "Examples:" section. A named class, not a lambda: a lambda for picocli's Java 5 interface
     * keeps it and its implementations out of the class-data archive (see Cli's handlers).
     */
    private record ExamplesSection(List<String> examples) implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            return examples.isEmpty() ? ""
                    : String.format("%nExamples:%n") + examples.stream().map(e -> "  " + e + String.format("%n")).reduce("", String::concat);
        }
    }

    private static Map<String, String> toMap(String[] codes) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : codes) {
            int colon = c.indexOf(':');
            m.put(c.substring(0, colon), c.substring(colon + 1));
        }
        return m;
    }
}
