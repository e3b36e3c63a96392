package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.testing.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
        InstallCommandsCommand c = new InstallCommandsCommand();
        c.classPath = "/x.jar";
        String text = c.launcher("/usr/bin/java", "download-model-with-progress", null);
        assertTrue(text.contains(String.join(" ", InstallCommandsCommand.DOWNLOAD_OPTIONS) + " -cp"), text);
    }
}
