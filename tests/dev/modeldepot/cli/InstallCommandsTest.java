package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.Json;
import dev.modeldepot.testing.Run;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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
        Files.writeString(bin.resolve(".model-depot-123.jsa.new"), "an install stopped mid-dump");
        Run uninstall = Run.of(new ModelStoreCommand(), "install-commands", "--bin", bin.toString(), "--uninstall");
        assertEquals(0, uninstall.exitCode(), uninstall.err());
        for (String name : InstallCommandsCommand.COMMANDS) {
            assertFalse(Files.exists(bin.resolve(name)), name);
        }
        assertTrue(Files.exists(bin.resolve("other-tool")), "only our own launchers are removed");
        assertFalse(Files.exists(bin.resolve(".model-depot-123.jsa.new")), "an unfinished archive goes too");
    }

    @Test
    void theLauncherQuotesPathsAndCarriesTheArchive() {
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = "/a b/x.jar:/c'd/y.jar";
        String text = c.launcher("/usr/bin/java", "check-models", Path.of("/bin/.model-depot.jsa"));
        assertTrue(text.startsWith("#!/bin/sh\n" + InstallCommandsCommand.MARK + "\n"), text);
        assertTrue(text.contains("\na='/bin/.model-depot.jsa'\n") && text.contains("-XX:SharedArchiveFile=\"$a\""), text);
        assertTrue(text.contains("-cp '/a b/x.jar:/c'\\''d/y.jar' ModelDepotCommands check-models \"$@\""), text);
        assertEquals(Path.of("lib/x.jar").toAbsolutePath() + java.io.File.pathSeparator + "/abs/y.jar",
                InstallCommandsCommand.absolute("lib/x.jar" + java.io.File.pathSeparator + "/abs/y.jar"),
                "a launcher works from any folder, so its classpath is absolute");
    }

    @Test
    void theDownloadLauncherRunsWithTheScriptsJvmOptions() throws Exception {
        String line = Files.readAllLines(Path.of("scripts/download-model-with-progress.java")).stream()
                .filter(l -> l.startsWith("//JAVA_OPTIONS ")).findFirst().orElseThrow();
        assertEquals(List.of(line.substring("//JAVA_OPTIONS ".length()).trim().split("\\s+")), InstallCommandsCommand.DOWNLOAD_OPTIONS);
        List<String> catalog = new ArrayList<>();
        Json.MAPPER.readTree(Files.readString(Path.of("jbang-catalog.json")))
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
        InstallCommandsCommand.Recording r = c.record(java, archive);
        assertTrue(r.made(), r.why());
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), left.toList(), "no class list or half archive is left behind");
        }
        Process p = new ProcessBuilder(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info",
                "-cp", c.classPath, InstallCommandsCommand.MAIN, "download-model-with-progress", "--version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // picocli's interfaces that the suite implements too (a lambda for one kept them out) and an implementation of one.
        for (String cls : List.of("picocli.CommandLine", "dev.modeldepot.cli.DownloadCommand", "java.lang.Object",
                "picocli.CommandLine$IExecutionExceptionHandler", "picocli.CommandLine$IHelpSectionRenderer",
                "picocli.CommandLine$Model$UsageMessageSpec$2")) {
            assertTrue(out.contains(cls + " source: shared objects file"), cls + " comes from the archive:\n"
                    + out.lines().filter(l -> l.contains(cls + " ")).findFirst().orElse("(not loaded)"));
        }
    }

    /**
     * A launcher uses its archive only while the archive is newer than every jar and the JDK's
     * class image: a stale archive would turn class data off altogether (it replaces the JDK's
     * default one), so after JBang rebuilds the jar the launcher starts without it.
     */
    @Test
    void aLauncherLeavesOutAnArchiveOlderThanItsJarsOrTheJdk(@TempDir Path dir) throws Exception {
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor x in \"$@\"; do echo \"$x\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Path modules = Files.createDirectories(dir.resolve("jdk/lib")).resolve("modules");
        Path jar = dir.resolve("suite.jar");
        Path dep = dir.resolve("dep's.jar");
        Path archive = dir.resolve("bin dir/.model-depot.jsa");
        Files.createDirectories(archive.getParent());
        for (Path f : List.of(modules, jar, dep, archive)) {
            Files.writeString(f, "x");
        }
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (Path f : List.of(modules, jar, dep)) {
            Files.setLastModifiedTime(f, old);
        }
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = jar + File.pathSeparator + dep;
        Path launcher = dir.resolve("bin dir/check-models");
        Files.writeString(launcher, c.launcher(java.toString(), "check-models", archive));
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:disable"), archiveOptions(launcher, "a b"));

        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertEquals(List.of(), archiveOptions(launcher, "a b"), "JBang rebuilt the jar: the archive is left out");
        Files.setLastModifiedTime(jar, old);
        Files.setLastModifiedTime(modules, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertEquals(List.of(), archiveOptions(launcher, "a b"), "the JDK was updated in place: the archive is left out");
    }

    /** Runs a launcher whose "java" prints its arguments; the archive's options among them, after checking the rest. */
    private static List<String> archiveOptions(Path launcher, String arg) throws Exception {
        Process p = new ProcessBuilder("sh", launcher.toString(), arg).redirectErrorStream(true).start();
        List<String> args = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(InstallCommandsCommand.MAIN, "check-models", arg), args.subList(args.size() - 3, args.size()), args.toString());
        return args.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-Xlog")).toList();
    }

    /** A classpath the dump cannot take (a directory): no archive, a reason, and nothing left in the folder. */
    @Test
    void aFailedRecordingSaysWhyAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("Some.class"), "not a class");
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = System.getProperty("java.class.path") + File.pathSeparator + classes;
        Path bin = Files.createDirectories(dir.resolve("bin"));
        InstallCommandsCommand.Recording r = c.record(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                bin.resolve(".model-depot.jsa"));
        assertFalse(r.made());
        assertTrue(r.why().startsWith("java -Xshare:dump failed (exit "), r.why());
        try (Stream<Path> left = Files.list(bin)) {
            assertEquals(List.of(), left.toList());
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
