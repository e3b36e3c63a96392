package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install-commands writes five launchers that run with plain java, and --uninstall takes them away. */
class InstallCommandsTest {
    @Test
    void launchersRunTheCommandsWithPlainJavaAndUninstallRemovesThem(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin");
        Run install = Run.of(new ModelStoreCommand(), "install-commands", "--bin", bin.toString());
        assertEquals(0, install.exitCode(), install.err());
        for (String name : InstallCommandsCommand.COMMANDS) {
            Path launcher = bin.resolve(name);
            assertTrue(Files.isExecutable(launcher), name);
            Process p = new ProcessBuilder(launcher.toString(), "--help").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), name + ": " + out);
            assertTrue(out.contains("Usage: " + name), name + ": " + out);
        }
        Files.writeString(bin.resolve("other-tool"), "#!/bin/sh\n");
        Run uninstall = Run.of(new ModelStoreCommand(), "install-commands", "--bin", bin.toString(), "--uninstall");
        assertEquals(0, uninstall.exitCode(), uninstall.err());
        for (String name : InstallCommandsCommand.COMMANDS) {
            assertFalse(Files.exists(bin.resolve(name)), name);
        }
        assertTrue(Files.exists(bin.resolve("other-tool")), "only our own launchers are removed");
    }

    @Test
    void theLauncherQuotesPathsAndCarriesTheArchive() {
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = "/a b/x.jar:/c'd/y.jar";
        String text = c.launcher("/usr/bin/java", "check-models", Path.of("/bin/.model-depot.jsa"));
        assertTrue(text.startsWith("#!/bin/sh\n" + InstallCommandsCommand.MARK + "\n"), text);
        assertTrue(text.contains("-XX:SharedArchiveFile=/bin/.model-depot.jsa"), text);
        assertTrue(text.contains("-cp '/a b/x.jar:/c'\\''d/y.jar' ModelDepotCommands check-models \"$@\""), text);
        assertEquals(Path.of("lib/x.jar").toAbsolutePath() + java.io.File.pathSeparator + "/abs/y.jar",
                InstallCommandsCommand.absolute("lib/x.jar" + java.io.File.pathSeparator + "/abs/y.jar"),
                "a launcher works from any folder, so its classpath is absolute");
    }

    @Test
    void theDownloadLauncherRunsWithTheScriptsJvmOptions() throws Exception {
        String line = Files.readAllLines(Path.of("scripts/download-model-with-progress.java")).stream()
                .filter(l -> l.startsWith("//JAVA_OPTIONS ")).findFirst().orElseThrow();
        assertEquals(java.util.List.of(line.substring("//JAVA_OPTIONS ".length()).trim().split("\\s+")), InstallCommandsCommand.DOWNLOAD_OPTIONS);
        List<String> catalog = new ArrayList<>();
        dev.modeldepot.core.Json.MAPPER.readTree(Files.readString(Path.of("jbang-catalog.json")))
                .get("aliases").get("download-model-with-progress").get("java-options").forEach(o -> catalog.add(o.asText()));
        assertEquals(InstallCommandsCommand.DOWNLOAD_OPTIONS, catalog, "the catalog's download alias runs the same JVM as the script");
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = "/x.jar";
        String text = c.launcher("/usr/bin/java", "download-model-with-progress", null);
        assertTrue(text.contains(String.join(" ", InstallCommandsCommand.DOWNLOAD_OPTIONS) + " -cp"), text);
    }

    /**
     * The archive holds picocli too (its Java 5 class files, which -XX:ArchiveClassesAtExit on
     * JDK 17 leaves out), the suite's classes and the JDK's: a command's start maps them instead
     * of reading them from the jars. The suite is packed into a jar first, as JBang's is (a
     * directory on the classpath cannot be archived).
     */
    @Test
    void theArchiveHoldsPicocliAndTheSuite(@TempDir Path dir) throws Exception {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isRegularFile(p.resolve("ModelDepotCommands.class"))) {
                cp.add(0, pack(p, dir.resolve("model-depot.jar")).toString());
            } else if (e.endsWith(".jar")) {
                cp.add(p.toAbsolutePath().toString());
            }
        }
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = String.join(File.pathSeparator, cp);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path archive = dir.resolve("bin").resolve(".model-depot.jsa");
        Files.createDirectories(archive.getParent());
        assertTrue(c.record(java, archive), "the archive was recorded");
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), left.toList(), "no class list or half archive is left behind");
        }
        Process p = new ProcessBuilder(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info",
                "-cp", c.classPath, InstallCommandsCommand.MAIN, "download-model-with-progress", "--version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        for (String cls : List.of("picocli.CommandLine", "dev.modeldepot.cli.DownloadCommand", "java.lang.Object")) {
            assertTrue(out.contains(cls + " source: shared objects file"), cls + " comes from the archive:\n"
                    + out.lines().filter(l -> l.contains(cls + " ")).findFirst().orElse("(not loaded)"));
        }
    }

    private static Path pack(Path classes, Path jar) throws Exception {
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
