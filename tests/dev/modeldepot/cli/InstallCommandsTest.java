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
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve(".model-depot.jsa"), "an earlier install's archive, for other jars");
        Files.writeString(bin.resolve(".model-depot-old.jsa.new"), "left by an install stopped two hours ago");
        Files.setLastModifiedTime(bin.resolve(".model-depot-old.jsa.new"), FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        Files.writeString(bin.resolve(".model-depot-now.jsa.new"), "another install's, still being written");
        // Maven's classpath has folders, which the dump refuses: the install goes on without an archive.
        Run install = Run.of(new ModelStoreCommand(), "install-commands", "--bin", bin.toString());
        assertEquals(0, install.exitCode(), install.err());
        assertTrue(install.err().contains("no class-data archive (the commands start without it): java -Xshare:dump failed"),
                install.err());
        assertFalse(Files.exists(bin.resolve(".model-depot.jsa")), "the earlier archive does not outlive a failed recording");
        assertFalse(Files.exists(bin.resolve(".model-depot-old.jsa.new")), "an hour-old unfinished archive is removed");
        assertTrue(Files.exists(bin.resolve(".model-depot-now.jsa.new")), "a fresh one may be another install's");
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
    void uninstallingFromAFolderThatIsNotThereRemovesNothingAndSucceeds(@TempDir Path dir) {
        Run uninstall = Run.of(new ModelStoreCommand(), "install-commands", "--bin", dir.resolve("none").toString(), "--uninstall");
        assertEquals(0, uninstall.exitCode(), uninstall.err());
        assertTrue((uninstall.out() + uninstall.err()).contains("removed 0 launchers"), uninstall.out() + uninstall.err());
    }

    @Test
    void theLauncherQuotesPathsAndCarriesTheArchive(@TempDir Path dir) throws Exception {
        Path java = fakeJdk(dir.resolve("a jdk"), "JAVA_RUNTIME_VERSION=\"17.0.1+2\"");
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = "/a b/x.jar:/c'd/y.jar";
        String text = c.launcher(java.toString(), "check-models", Path.of("/bin/.model-depot.jsa"));
        assertTrue(text.startsWith("#!/bin/sh\n" + InstallCommandsCommand.MARK + "\n"), text);
        assertTrue(text.contains("\na='/bin/.model-depot.jsa'\n") && text.contains("-XX:SharedArchiveFile=\"$a\""), text);
        assertTrue(text.contains("-cp '/a b/x.jar:/c'\\''d/y.jar' ModelDepotCommands check-models \"$@\""), text);
        assertTrue(text.contains("[ \"$jdk\" = 'JAVA_RUNTIME_VERSION=\"17.0.1+2\"' ]"), text);
        assertEquals(Path.of("lib/x.jar").toAbsolutePath() + File.pathSeparator + "/abs/y.jar",
                InstallCommandsCommand.absolute("lib/x.jar" + File.pathSeparator + "/abs/y.jar"),
                "a launcher works from any folder, so its classpath is absolute");
        Path bare = fakeJdk(dir.resolve("bare jdk"), "JAVA_VERSION=\"17\"");
        assertFalse(c.launcher(bare.toString(), "check-models", Path.of("/bin/.model-depot.jsa")).contains("SharedArchiveFile"),
                "a JDK whose release file names no runtime version gets no archive: an update could not be told");
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
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = suiteAsJars(dir);
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
        // The launcher written for this JDK and these jars takes the archive (sh -x shows which exec ran) and works.
        Path launcher = archive.resolveSibling("download-model-with-progress");
        Files.writeString(launcher, c.launcher(java, "download-model-with-progress", archive));
        Process l = new ProcessBuilder("sh", "-x", launcher.toString(), "--version").redirectErrorStream(true).start();
        String trace = new String(l.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(l.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, l.exitValue(), trace);
        assertTrue(trace.lines().anyMatch(t -> t.startsWith("+ exec ") && t.contains("-XX:SharedArchiveFile=" + archive)), trace);
        assertTrue(trace.contains("Model Depot "), trace);
    }

    /**
     * A launcher uses its archive only while the JDK is the one that recorded it and the archive
     * is newer than every jar: a stale archive would turn class data off altogether (it replaces
     * the JDK's default one). A package manager keeps a file's own date, so the JDK is told by its
     * release file's runtime version, not by dates. Run under every shell at hand (dash and bash
     * differ on a missing file's date).
     */
    @Test
    void aLauncherLeavesOutAnArchiveOlderThanItsJarsOrFromAnotherJdk(@TempDir Path dir) throws Exception {
        String recorded = "JAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"";
        Path java = fakeJdk(dir.resolve("jdk"), "IMPLEMENTOR=\"x\"\n" + recorded + "\nJAVA_VERSION=\"17.0.15\"");
        Path release = dir.resolve("jdk/release");
        Path jar = dir.resolve("suite.jar");
        Path dep = dir.resolve("dep's $x.jar");
        Path archive = dir.resolve("bin dir/.model-depot.jsa");
        Files.createDirectories(archive.getParent());
        for (Path f : List.of(jar, dep, archive)) {
            Files.writeString(f, "x");
        }
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (Path f : List.of(jar, dep, release)) {
            Files.setLastModifiedTime(f, old);
        }
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = jar + File.pathSeparator + dep;
        Path launcher = dir.resolve("bin dir/check-models");
        Files.writeString(launcher, c.launcher(java.toString(), "check-models", archive));
        List<String> shells = Stream.of("/bin/sh", "/bin/dash", "/bin/bash").filter(sh -> Files.isExecutable(Path.of(sh))).toList();
        for (String sh : shells) {
            assertEquals(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:disable"), archiveOptions(sh, launcher, "a b"), sh);

            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            assertEquals(List.of(), archiveOptions(sh, launcher, "a b"), sh + ": JBang rebuilt the jar: the archive is left out");
            Files.setLastModifiedTime(jar, old);

            Files.writeString(release, "JAVA_RUNTIME_VERSION=\"17.0.16+8-Debian-1deb12u1\"\n");
            Files.setLastModifiedTime(release, old); // as dpkg leaves it: the package's date, not the update's
            assertEquals(List.of(), archiveOptions(sh, launcher, "a b"), sh + ": the JDK was updated in place: the archive is left out");
            Files.writeString(release, recorded + "\n");

            Files.move(dep, dir.resolve("gone.jar"));
            assertEquals(List.of(), archiveOptions(sh, launcher, "a b"), sh + ": a jar is missing: the archive is left out");
            Files.move(dir.resolve("gone.jar"), dep);
            Files.setLastModifiedTime(dep, old);
            assertEquals(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:disable"), archiveOptions(sh, launcher, "a b"), sh);
        }
    }

    /** A JDK folder whose bin/java prints its arguments, one per line, and whose release file holds {@code release}. */
    private static Path fakeJdk(Path home, String release) throws Exception {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor x in \"$@\"; do echo \"$x\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(home.resolve("release"), release + "\n");
        return java;
    }

    /** Runs a launcher whose "java" prints its arguments; the archive's options among them, after checking the rest. */
    private static List<String> archiveOptions(String shell, Path launcher, String arg) throws Exception {
        Process p = new ProcessBuilder(shell, launcher.toString(), arg).redirectErrorStream(true).start();
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
        c.classPath = classes + File.pathSeparator + suiteAsJars(dir); // the one folder is what the dump refuses
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = ours(tmp);
        InstallCommandsCommand.Recording r = c.record(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                bin.resolve(".model-depot.jsa"));
        assertFalse(r.made());
        assertTrue(r.why().startsWith("java -Xshare:dump failed (exit ") && r.why().contains("directory"), r.why());
        try (Stream<Path> left = Files.list(bin)) {
            assertEquals(List.of(), left.toList());
        }
        assertEquals(before, ours(tmp), "the class list and the log are gone from " + tmp);
    }

    private static List<Path> ours(Path tmp) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("model-depot-")).sorted().toList();
        }
    }

    /** The suite's classes packed into a jar (as JBang's are), then the jars of this JVM's classpath. */
    private static String suiteAsJars(Path dir) throws Exception {
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isRegularFile(p.resolve("ModelDepotCommands.class"))) {
                cp.add(0, pack(p, dir.resolve("model-depot.jar")).toString());
            } else if (e.endsWith(".jar")) {
                cp.add(p.toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, cp);
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
