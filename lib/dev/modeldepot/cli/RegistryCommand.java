package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.registry.FileMeasurer;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.RegistryEditor;
import dev.modeldepot.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code model-store registry ...}: tools for model authors preparing a registry. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Validate a registry, or measure a file and print (or append) its registry entry.",
        subcommands = {RegistryCommand.Validate.class, RegistryCommand.Add.class, RegistryCommand.Import.class})
public class RegistryCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a registry file against the rules of registry/model-registry.schema.json.")
    static class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE|URL", description = "Registry to check (default: --registry or the built-in one).")
        String file;

        @Override
        public Integer call() {
            CommonOptions common = CommonOptions.of(spec);
            String source = file != null ? file : common.registrySource();
            Registry registry = RegistryLoader.load(source, common.offline, common.maxRegistryBytes(), java.time.Duration.ofSeconds(60));
            Console console = common.console();
            int variants = registry.models().stream().mapToInt(m -> m.variants().size()).sum();
            List<String> unverifiable = registry.models().stream()
                    .flatMap(m -> m.variants().stream().flatMap(v -> v.files().stream()
                            .filter(f -> !f.verifiable() && f.md5() == null).map(f -> m.id() + ":" + v.id() + "/" + f.path())))
                    .toList();
            Map<String, Long> profileSizes = new LinkedHashMap<>();
            registry.profiles().forEach(p -> profileSizes.put(p.name(), registry.profileSize(p.name())));
            if (common.json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("valid", true);
                out.put("source", registry.source());
                out.put("models", registry.models().size());
                out.put("variants", variants);
                out.put("unverifiableFiles", unverifiable);
                out.put("profileSizes", profileSizes);
                common.console().out().println(Json.pretty(out));
                return 0;
            }
            console.info("ok: " + registry.source() + ": " + registry.models().size() + " models, " + variants + " variants");
            profileSizes.forEach((name, size) -> console.info("  profile " + name + ": " + Sizes.human(size)));
            unverifiable.forEach(f -> console.warn(f + " has no sha256: it can be downloaded but not verified"));
            registry.models().forEach(m -> m.variants().forEach(v -> v.files().stream().filter(f -> f.weakerChecksum())
                    .forEach(f -> console.warn(m.id() + ":" + v.id() + "/" + f.path() + " has only an md5: a weaker checksum, checked after the download"))));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Measure size and SHA-256 of a local or remote file (streaming) and print its registry entry.",
                    "With --model and --variant the entry is appended to the --registry file."})
    static class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static class Source {
            @Option(names = "--url", paramLabel = "URL", required = true, description = "Remote file to measure.")
            String url;

            @Option(names = "--file", paramLabel = "PATH", required = true, description = "Local file to measure.")
            Path file;

            @Option(names = "--hf", paramLabel = "ORG/REPO[@REV]", required = true,
                    description = "A Hugging Face repo: every selected file (--include/--exclude) with its size and sha256, pinned to the commit.")
            String hf;
        }

        @picocli.CommandLine.Mixin
        SourceOptions filters;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--model", paramLabel = "ID", description = "Model id to append to (created if new).")
        String model;

        @Option(names = "--variant", paramLabel = "ID", description = "Variant id to append to (created if new).")
        String variant;

        @Option(names = "--path", paramLabel = "P", description = "Path of the file inside the variant (default: the file's name).")
        String path;

        @Option(names = "--format", description = "Format (default: from the extension).")
        String format;

        @Option(names = "--role", description = "Role: weights, mmproj, tokenizer, config, vae, text-encoder, ...")
        String role;

        @Override
        public Integer call() throws Exception {
            CommonOptions common = CommonOptions.of(spec);
            if ((model == null) != (variant == null)) {
                throw DepotException.badInput("--model and --variant go together");
            }
            if (source.hf != null) {
                return addHf(common);
            }
            if (!filters.include.isEmpty() || !filters.exclude.isEmpty()) {
                throw DepotException.badInput("--include and --exclude go with --hf");
            }
            FileMeasurer measurer = new FileMeasurer(common.quiet || common.json ? null : common.console().err());
            FileMeasurer.Measurement m = source.file != null
                    ? measurer.measureFile(source.file)
                    : measurer.measureUrl(source.url, common.offline);
            Map<String, Object> entry = RegistryEditor.fileEntry(m, path, format, role);
            if (model != null) {
                Path registryFile = Path.of(common.registrySource());
                RegistryEditor.append(registryFile, model, variant, entry);
                common.console().info("appended " + entry.get("path") + " to " + model + ":" + variant + " in " + registryFile);
            }
            common.console().out().println(Json.pretty(entry));
            return 0;
        }

        /** Freezes a Hub selection into plain entries: commit-pinned URLs, sizes and sha256s, no source left to resolve. */
        private int addHf(CommonOptions common) throws Exception {
            if (path != null || format != null || role != null) {
                throw DepotException.badInput("--path, --format and --role apply to one file; with --hf they come from the repository");
            }
            if (common.offline) {
                throw DepotException.badInput("--offline forbids asking the Hub about --hf " + source.hf);
            }
            var ref = dev.modeldepot.registry.Registry.adHoc(dev.modeldepot.registry.VariantSource.parse("hf://" + source.hf));
            ref = filters.filtered(List.of(ref)).get(0);
            var resolved = new dev.modeldepot.sources.Sources(dev.modeldepot.download.DownloadSettings.defaults(common.env)).resolve(ref);
            List<Map<String, Object>> entries = new java.util.ArrayList<>();
            for (var f : resolved.variant().files()) {
                Map<String, Object> entry = RegistryEditor.fileEntry(new FileMeasurer.Measurement(f.path(), f.url().toString(), f.size(), f.sha256()),
                        f.path(), null, f.role());
                entries.add(entry);
            }
            if (model != null) {
                Path registryFile = Path.of(common.registrySource());
                for (Map<String, Object> entry : entries) {
                    RegistryEditor.append(registryFile, model, variant, entry);
                }
                common.console().info("appended " + entries.size() + " files of " + resolved.variant().source().pinnedUri()
                        + " to " + model + ":" + variant + " in " + registryFile);
            }
            common.console().out().println(Json.pretty(entries));
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Convert another catalog into a registry: GPT4All's models3.json (--gpt4all).",
                    "Entries with only an md5sum keep it (checked after download, a weaker checksum); entries that cannot be converted are listed."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:converted (unconvertible entries are listed)", "2:the catalog is not GPT4All's format"})
    static class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--gpt4all", paramLabel = "models3.json", required = true, description = "GPT4All's catalog file.")
        Path gpt4all;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the registry here (default: standard output).")
        Path output;

        @Override
        public Integer call() throws Exception {
            CommonOptions common = CommonOptions.of(spec);
            Console console = common.console();
            String text;
            try {
                text = java.nio.file.Files.readString(gpt4all);
            } catch (java.nio.file.NoSuchFileException e) {
                throw DepotException.badInput("catalog file not found: " + gpt4all);
            }
            var conversion = dev.modeldepot.registry.Gpt4AllCatalog.convert(text, gpt4all.toString());
            conversion.skipped().forEach(line -> console.warn("not converted: " + line));
            if (conversion.converted() == 0) {
                throw DepotException.badInput("nothing in " + gpt4all + " could be converted (" + conversion.skipped().size() + " entries left out)");
            }
            String json = Json.pretty(conversion.registry()) + "\n";
            RegistryLoader.parse(json, "the converted " + gpt4all); // never write a registry our own loader would refuse
            if (output != null) {
                dev.modeldepot.core.AtomicFiles.write(output, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                console.out().print(json);
            }
            console.err().println("converted " + conversion.converted() + " entries" + (conversion.md5Only() > 0
                    ? " (" + conversion.md5Only() + " with only an md5: a weaker checksum)" : "")
                    + (conversion.skipped().isEmpty() ? "" : "; " + conversion.skipped().size() + " could not be converted")
                    + (output != null ? "; wrote " + output : ""));
            return 0;
        }
    }
}
