package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repo's ./jbang starts JBang's own (short, planning-only) JVM with the quick compiler and the
 * serial collector, and JBANG_JAVA_OPTIONS replaces them as with the official launcher. A copy of
 * the launcher runs against a stand-in {@code java} that records its arguments, so the test needs
 * neither the network nor JBang's jars.
 */
class JbangLauncherTest {
    @TempDir
    Path tmp;

    private List<String> javaArgsOfJbang(Map<String, String> env) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path launcher = repo.resolve("jbang");
        Files.copy(JbangAliasesTest.REPO.resolve("jbang"), launcher);
        Matcher version = Pattern.compile("JBANG_CLI_VERSION:-([^}]+)}").matcher(Files.readString(launcher));
        assertTrue(version.find(), "the launcher names its JBang version");
        Path cli = Files.createDirectories(repo.resolve(".jbang-cli").resolve(version.group(1)).resolve("lib"));
        Files.createFile(cli.getParent().resolve(".complete")); // as if JBang's jars were fetched already
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Path args = tmp.resolve("args.txt");
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + args + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "some-alias@.", "--version").redirectErrorStream(true);
        pb.environment().remove("JBANG_JAVA_OPTIONS");
        pb.environment().remove("JBANG_CLI_VERSION"); // the launcher's own version, whose folder is faked above
        pb.environment().put("JAVA_HOME", jdk.getParent().toString());
        pb.environment().put("MODELDEPOT_BUNDLED_JBANG", "1"); // never an installed jbang
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return Files.readAllLines(args);
    }

    @Test
    void jbangsOwnJvmStartsWithTheQuickCompilerAndSerialCollector() throws Exception {
        List<String> args = javaArgsOfJbang(Map.of());
        int classpath = args.indexOf("-classpath");
        assertTrue(classpath > 0, "java " + args);
        List<String> jvm = args.subList(0, classpath);
        assertTrue(jvm.contains("-XX:TieredStopAtLevel=1") && jvm.contains("-XX:+UseSerialGC"), "JBang's JVM options: " + jvm);
        assertEquals(List.of("dev.jbang.Main", "some-alias@.", "--version"), args.subList(classpath + 2, args.size()));
    }

    @Test
    void emptyJbangJavaOptionsMeanNone() throws Exception {
        List<String> args = javaArgsOfJbang(Map.of("JBANG_JAVA_OPTIONS", ""));
        assertEquals(0, args.indexOf("-classpath"), "no JVM options before the classpath: " + args);
    }

    @Test
    void jbangJavaOptionsReplaceThem() throws Exception {
        List<String> args = javaArgsOfJbang(Map.of("JBANG_JAVA_OPTIONS", "-Xmx300m -Dmark=yes"));
        List<String> jvm = args.subList(0, args.indexOf("-classpath"));
        assertEquals(List.of("-Xmx300m", "-Dmark=yes"), jvm);
        assertFalse(jvm.contains("-XX:TieredStopAtLevel=1"));
    }
}
