package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run install-commands records its class-data archive from: it must go through the registry,
 * the store and the status check (a --help alone left ~1,000 of check-models' classes out of the
 * archive), every step ending as it should, silently, without touching the user's store and
 * without leaving files behind.
 */
class StartupTrainingTest {
    /**
     * JBang builds one jar per script and looks for its main(): a second one in a source the
     * scripts include makes it warn "Could not locate unique main() method" and take the first it
     * finds. (The training run first had a main of its own.)
     */
    @Test
    void theScriptsIncludeNoOtherMainMethod() throws Exception {
        Path repo = JbangAliasesTest.REPO;
        java.util.Set<Path> folders = new java.util.TreeSet<>();
        for (Path script : List.of(repo.resolve("scripts/model-depot.java"))) {
            for (String line : Files.readAllLines(script)) {
                if (line.startsWith("//SOURCES ")) {
                    folders.add(script.getParent().resolve(line.substring(10).strip()).normalize().getParent());
                }
            }
        }
        assertTrue(folders.size() > 5, "the door script lists the suite's packages: " + folders);
        java.util.regex.Pattern main = java.util.regex.Pattern.compile("static\\s+void\\s+main\\s*\\(\\s*(final\\s+)?String");
        List<String> found = new java.util.ArrayList<>();
        for (Path folder : folders) {
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (main.matcher(Files.readString(f)).find()) {
                        found.add(repo.relativize(f).toString());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "only scripts/model-depot.java has a main(String...)");
    }

    @Test
    void trainsTheStartUpPathQuietlyInATemporaryStore(@TempDir Path dir) throws Exception {
        Path tmpdir = Files.createDirectories(dir.resolve("tmp"));
        Path userStore = dir.resolve("user-store");
        Path loaded = dir.resolve("classes.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmpdir, "-Xlog:class+load=info:file=" + loaded,
                "-cp", System.getProperty("java.class.path"), InstallCommandsCommand.MAIN, "model-store", "install-commands", "--training-run");
        pb.environment().put("MODELDEPOT_CACHE", userStore.toString());
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "training finished");
        assertEquals(0, p.exitValue(), "every step ended as expected; stderr: " + Files.readString(err));
        assertEquals("", out + Files.readString(err), "nothing printed");
        assertFalse(Files.exists(userStore), "the user's store is not touched");
        try (var left = Files.list(tmpdir)) {
            assertEquals(List.of(), left.toList(), "the temporary store is removed");
        }
        String classes = Files.readString(loaded);
        for (String name : List.of("com.fasterxml.jackson.databind.ObjectMapper", "dev.modeldepot.registry.RegistryLoader",
                "dev.modeldepot.store.MetaStore", "dev.modeldepot.store.StatusChecker", "dev.modeldepot.cli.CheckModelsCommand",
                "dev.modeldepot.cli.ModelStoreCommand", "dev.modeldepot.download.RangeWorker", "dev.modeldepot.download.PrefixHasher",
                "sun.net.www.protocol.http.HttpURLConnection")) {
            assertTrue(classes.contains(" " + name + " "), name + " is loaded, so it goes into the archive");
        }
    }
}
