package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Requires;
import dev.modeldepot.testing.Tmux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's quick start ("Set up and run" and its subsections, up to "## The commands"), run as
 * printed: every line of every fenced bash block is run by bash, in order, in one shell state
 * (an {@code export PATH=…} carries over). A line edited into a command that does not work fails
 * here. What differs from a user's machine, and why:
 * <ul>
 * <li>Placeholders become loopback servers: {@code https://HOST/PATH/} is this checkout served over
 *     HTTP on 127.0.0.1 (the test cannot make a certificate the JVM trusts), {@code https://host/}
 *     a loopback origin serving a 3 MB model, {@code HEX} that model's SHA-256.</li>
 * <li>{@code HOME} and {@code MODELDEPOT_CACHE} are temporary folders, so {@code ~/.local/bin} and the
 *     store are the test's own; {@code MODELDEPOT_DEMO_SIZE=16M} keeps the demo small.</li>
 * <li>{@code jbang} (a user's installed JBang) is a shell function: {@code jbang catalog …} runs the
 *     repo's ./jbang with a fresh JBANG_DIR; {@code jbang ALIAS@modeldepot …} runs the alias's
 *     command on the classes Maven built from the same sources, since compiling the suite again
 *     from the served catalog is what RemoteCatalogTest does (minutes on a loaded machine). The
 *     alias must exist in jbang-catalog.json and the catalog name must have been added above.</li>
 * <li>{@code ./jbang model-dashboard@. --demo} runs exactly as printed, through ./jbang, in a tmux
 *     terminal (it is full-screen): the test waits for the demo's models on screen and presses q.</li>
 * <li>{@code mvn -B verify} is the suite this test runs in: it is not run again; the test checks it
 *     is the command CI runs (.ci/run).</li>
 * </ul>
 * Lines starting with {@code ./} run in the checkout; the others in an unrelated folder.
 */
class ReadmeQuickStartTest {
    static final Path REPO = JbangAliasesTest.REPO;
    static final Pattern ALIAS_CALL = Pattern.compile("^jbang\\s+([\\w-]+)@([\\w-]+)\\b");

    record Outcome(int code, String out, String err) {
        String both() {
            return out + err;
        }
    }

    /** What a quick-start line must do beyond exiting as expected; every one must match some line. */
    record Expect(String what, Predicate<String> line, int code, Check check) {}

    interface Check {
        void verify(Outcome o) throws Exception;
    }

    @TempDir
    Path tmp;

    @Test
    void theQuickStartRunsAsPrinted() throws Exception {
        List<String> commands = quickStartCommands(Files.readString(REPO.resolve("README.md")));
        assertTrue(commands.size() >= 5, "the quick start shows its commands: " + commands);
        Path tmux = Requires.find("tmux"); // without it only the dashboard line is left out, loudly (a failure in CI)
        String skipped = null;
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path state = tmp.resolve("state.sh");
        byte[] model = FaultOrigin.randomBytes(3 << 20, 7);
        JsonNode catalog = Json.MAPPER.readTree(REPO.resolve("jbang-catalog.json").toFile());
        List<String> catalogsAdded = new ArrayList<>();

        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/m.gguf", model);
            for (Map.Entry<String, Path> f : RemoteCatalogTest.trackedFiles().entrySet()) {
                origin.serve("/served/model-depot/" + f.getKey(), Files.readAllBytes(f.getValue()));
            }
            Map<String, String> placeholders = new LinkedHashMap<>();
            placeholders.put("https://HOST/PATH/", origin.url("/served/").toString());
            placeholders.put("https://host/", origin.url("/").toString());
            placeholders.put("HEX", FaultOrigin.sha256(model));

            List<Expect> expects = List.of(
                    new Expect("register the served catalog", l -> l.startsWith("jbang catalog add"), 0, o -> {
                        // JBang only records the URL; listing the aliases fetches the catalog from it.
                        Outcome list = bash(tmp.resolve("prelude.sh"), "jbang alias list " + catalogsAdded.get(catalogsAdded.size() - 1), elsewhere);
                        assertEquals(0, list.code(), list.both());
                        catalog.path("aliases").fieldNames().forEachRemaining(a -> assertTrue(list.out().contains(a), a + " listed:\n" + list.out()));
                        assertTrue(origin.requests("/served/model-depot/jbang-catalog.json") > 0, "JBang fetched the served catalog");
                    }),
                    new Expect("check-models on an empty store", l -> l.matches(".*check-models(@\\w+)? --profile minimal.*"), 1, o -> {
                        assertTrue(o.out().contains("missing") && o.out().contains("to download"), o.both());
                    }),
                    new Expect("one verified URL download", l -> l.contains("download-model-with-progress") && l.contains("--url"), 0, o ->
                            assertArrayEquals(model, Files.readAllBytes(elsewhere.resolve("m.gguf")), "m.gguf holds the served bytes")),
                    new Expect("install the launchers", l -> l.contains("install-commands") && !l.contains("--uninstall"), 0, o -> {
                        for (String name : InstallCommandsCommand.COMMANDS) {
                            assertTrue(Files.isExecutable(home.resolve(".local/bin").resolve(name)), name + " installed in ~/.local/bin");
                        }
                    }),
                    new Expect("uninstall them", l -> l.contains("install-commands --uninstall"), 0, o -> {
                        for (String name : InstallCommandsCommand.COMMANDS) {
                            assertFalse(Files.exists(home.resolve(".local/bin").resolve(name)), name + " removed");
                        }
                    }),
                    new Expect("the dashboard demo", l -> l.startsWith("./jbang model-dashboard@. --demo"), 0, o -> {}),
                    new Expect("the test suite", l -> l.equals("mvn -B verify"), 0, o -> {}));
            List<Expect> unmatched = new ArrayList<>(expects);
            Path prelude = prelude(tmp.resolve("prelude.sh"), state, home);

            for (String printed : commands) {
                String line = printed;
                for (Map.Entry<String, String> p : placeholders.entrySet()) {
                    line = line.replace(p.getKey(), p.getValue());
                }
                Expect expect = expects.stream().filter(e -> e.line().test(printed)).findFirst().orElse(null);
                unmatched.remove(expect);
                Matcher alias = ALIAS_CALL.matcher(line);
                if (alias.find()) {
                    assertTrue(catalog.path("aliases").has(alias.group(1)), printed + ": no alias " + alias.group(1) + " in jbang-catalog.json");
                    assertTrue(catalogsAdded.contains(alias.group(2)), printed + ": the catalog " + alias.group(2) + " was not added above");
                }
                Matcher add = Pattern.compile("^jbang catalog add .*--name (\\S+)").matcher(line);
                if (add.find()) {
                    catalogsAdded.add(add.group(1));
                }
                Outcome o;
                long started = System.nanoTime();
                if (printed.equals("mvn -B verify")) {
                    assertTrue(Files.readString(REPO.resolve(".ci/run")).lines().anyMatch(printed::equals),
                            "the README's test command is the one CI runs (.ci/run)");
                    continue;
                } else if (printed.contains("model-dashboard") && tmux == null) {
                    skipped = printed;
                    continue;
                } else if (printed.contains("model-dashboard")) {
                    o = new Dashboard(tmp).run(line, REPO, prelude);
                } else {
                    o = bash(prelude, line, line.startsWith("./") ? REPO : elsewhere);
                }
                System.out.printf("ReadmeQuickStartTest: %5.1f s  %s%n", (System.nanoTime() - started) / 1e9, printed);
                int code = expect == null ? 0 : expect.code();
                assertEquals(code, o.code(), "README quick start: " + printed + "\n(run as: " + line + ")\n" + o.both());
                assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), printed + " printed a stack trace:\n" + o.err());
                if (expect != null) {
                    expect.check().verify(o);
                }
            }
            assertTrue(unmatched.isEmpty(), "the quick start no longer shows: "
                    + unmatched.stream().map(Expect::what).toList() + "; update README.md or this test\n" + commands);
            if (skipped != null) {
                Requires.skipLoudlyOrFailInCi("*** tmux is not installed: '" + skipped + "' (full-screen) was not run. ***",
                        " CI must install it (see .ci/run).");
            }
        }
    }

    /** The command lines of the fenced bash blocks from "## Set up and run" up to the next "## " heading. */
    static List<String> quickStartCommands(String readme) {
        int start = readme.indexOf("\n## Set up and run");
        assertTrue(start >= 0, "README has a '## Set up and run' section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> commands = new ArrayList<>();
        Matcher block = Pattern.compile("```(?:bash|sh)\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            for (String raw : block.group(1).split("\n")) {
                String line = raw.replaceFirst("\\s+#\\s.*$", "").strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    commands.add(line);
                }
            }
        }
        return commands;
    }

    /** The shell's stand-ins, sourced before every line (see the class comment). */
    Path prelude(Path file, Path state, Path home) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(file, String.join("\n",
                "export HOME=" + q(home.toString()),
                "export MODELDEPOT_CACHE=" + q(tmp.resolve("store").toString()),
                "export NO_COLOR=1 MODELDEPOT_DEMO_SIZE=16M",
                "unset MODELDEPOT_REGISTRY MODELDEPOT_APP JBANG_CACHE_DIR",
                "jbang() {",
                "  case \"$1\" in",
                "    *@*) local alias=\"${1%@*}\"; shift",
                "         " + q(java) + " -cp " + q(System.getProperty("java.class.path")) + " ModelDepotCommands \"$alias\" \"$@\" ;;",
                "    *) JBANG_DIR=" + q(tmp.resolve("jbang-home").toString()) + " " + q(REPO.resolve("jbang").toString()) + " \"$@\" ;;",
                "  esac",
                "}",
                "if [ -f " + q(state.toString()) + " ]; then . " + q(state.toString()) + "; fi",
                "") + "\n");
        return file;
    }

    /** One line in bash after the prelude; the exported variables are saved for the next line. */
    Outcome bash(Path prelude, String line, Path dir) throws Exception {
        Path state = tmp.resolve("state.sh");
        String script = ". " + q(prelude.toString()) + "\n" + line + "\nrc=$?\nexport -p | grep -v -E '^declare -x (PWD|OLDPWD|SHLVL|_)=' > "
                + q(state.toString()) + "\nexit $rc\n";
        Path err = tmp.resolve("line.err");
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(line + " did not finish in 300 s");
        }
        return new Outcome(p.exitValue(), out, Files.readString(err));
    }

    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A full-screen command in a tmux terminal: wait for the demo's models, press q, read the exit code. */
    record Dashboard(Path tmp) {
        static final long DEADLINE_MILLIS = 600_000; // a cold ./jbang compiles the suite: minutes on a loaded 2-core machine

        Outcome run(String line, Path dir, Path prelude) throws Exception {
            Path exit = tmp.resolve("dashboard.exit");
            String script = "cd " + q(dir.toString()) + " && . " + q(prelude.toString()) + " && " + line + "; echo $? > " + q(exit.toString());
            long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
            try (Tmux term = Tmux.session("qs", 100, 30, "bash -c " + q(script) + "; sleep 600")) {
                String screen = "";
                while (!(screen.contains("Model Depot dashboard") && screen.contains("demo-"))) {
                    if (System.currentTimeMillis() > deadline || Files.exists(exit)) {
                        return new Outcome(Files.exists(exit) ? Integer.parseInt(Files.readString(exit).strip()) : -1, screen,
                                "the dashboard did not show the demo's models; the screen was:\n" + screen);
                    }
                    Thread.sleep(200);
                    screen = term.screen();
                }
                term.keys("q");
                while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
                    if (System.currentTimeMillis() > deadline) {
                        return new Outcome(-1, screen, "the dashboard did not quit on q; the screen was:\n" + term.screen());
                    }
                    Thread.sleep(100);
                }
                return new Outcome(Integer.parseInt(Files.readString(exit).strip()), screen, "");
            }
        }
    }
}
