package dev.modeldepot.cli;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Redact;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code model-store install-commands}: the five commands as small launchers that start the jar
 * JBang already built with plain {@code java} (one JVM per call instead of JBang's plus ours),
 * with an AppCDS archive recorded at install time so the classes load from a mapped file.
 */
@Command(name = "install-commands", mixinStandardHelpOptions = true,
        description = {"Install download-model-with-progress, verify-model-integrity, check-models, model-store and",
                "model-dashboard as launchers that run the built jar with plain java (about 0.2 s instead of 1-2 s).",
                "Run it through the catalog (model-store@modeldepot install-commands); run it again after an upgrade."})
class InstallCommandsCommand implements Callable<Integer> {
    static final String MAIN = "ModelDepotCommands";
    static final String MARK = "# model-depot launcher (model-store install-commands)";
    static final List<String> COMMANDS = List.of("download-model-with-progress", "verify-model-integrity", "check-models",
            "model-store", "model-dashboard");

    @Spec
    CommandSpec spec;

    @Option(names = "--bin", paramLabel = "DIR", description = "Where the launchers go (default: ~/.local/bin).")
    Path bin;

    @Option(names = "--uninstall", description = "Remove the launchers and the archive again.")
    boolean uninstall;

    /** The JVM that records the class-data archive runs this (StartupTraining), in a temporary store. */
    @Option(names = "--training-run", hidden = true)
    boolean trainingRun;

    /**
     * Tests pass the classpath that holds ModelDepotCommands; normally it is this JVM's own, made
     * absolute so the launchers work from any folder.
     */
    String classPath = absolute(System.getProperty("java.class.path"));

    static String absolute(String path) {
        return java.util.Arrays.stream(path.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString()).collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    @Override
    public Integer call() throws Exception {
        if (trainingRun) {
            return StartupTraining.run();
        }
        CommonOptions common = CommonOptions.of(spec);
        Console console = common.console();
        Path dir = (bin != null ? bin : Path.of(common.env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "bin"))
                .toAbsolutePath().normalize();
        Path archive = dir.resolve(".model-depot.jsa");
        if (uninstall) {
            int removed = 0;
            for (String name : COMMANDS) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f) && Files.readString(f).contains(MARK)) {
                    Files.delete(f);
                    removed++;
                }
            }
            Files.deleteIfExists(archive);
            if (Files.isDirectory(dir)) {
                removeUnfinishedArchives(dir, 0);
            }
            console.info("removed " + removed + " launcher" + (removed == 1 ? "" : "s") + " from " + dir);
            return 0;
        }
        try {
            Class.forName(MAIN, false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw DepotException.badInput("install-commands needs the catalog's jar: run it as "
                    + "'jbang model-store@modeldepot install-commands' (or './jbang model-store@. install-commands' in a checkout)");
        }
        Files.createDirectories(dir);
        removeUnfinishedArchives(dir, TimeUnit.HOURS.toMillis(1)); // an install stopped by Ctrl-C mid-dump left one
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Recording r = runtimeVersionLine(releaseOf(java)) == null
                ? new Recording(false, "this JDK's release file names no JAVA_RUNTIME_VERSION, so a launcher could not tell when it changes")
                : record(java, archive);
        boolean cds = r.made();
        if (!cds) {
            Files.deleteIfExists(archive); // an earlier install's, made for other jars
            console.warn("no class-data archive (the commands start without it): " + r.why());
        }
        for (String name : COMMANDS) {
            AtomicFiles.write(dir.resolve(name), launcher(java, name, cds ? archive : null).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        console.info("installed " + String.join(", ", COMMANDS) + " in " + dir + (cds ? " (with a class-data archive)" : ""));
        String path = common.env.getOrDefault("PATH", "");
        if (!List.of(path.split(File.pathSeparator)).contains(dir.toString())) {
            console.warn(dir + " is not on PATH; add it: export PATH=\"" + dir + ":$PATH\" (e.g. in ~/.profile)");
        }
        return 0;
    }

    /**
     * Removes archives in the making ({@code .model-depot-*.jsa.new}) older than
     * {@code olderThanMillis}: an install stopped mid-dump (Ctrl-C) left them.
     */
    static void removeUnfinishedArchives(Path dir, long olderThanMillis) throws IOException {
        long cutoff = System.currentTimeMillis() - olderThanMillis;
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, ".model-depot-*.jsa.new")) {
            for (Path f : left) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.getLastModifiedTime(f).toMillis() <= cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** What {@link #record} did: {@code why} says what stopped it when no archive was made. */
    record Recording(boolean made, String why) {}

    /**
     * The class-data archive, in two steps: one training run (StartupTraining: help, a registry, a
     * store, a status check, a download) lists the classes the commands load, then a static dump
     * ({@code -Xshare:dump}) writes them, the JDK's own included, into one archive, which replaces
     * the old one in a single rename (a launcher starting meanwhile maps the old or the new). Not
     * made when this JVM cannot (a folder ahead of the jars on the classpath, no CDS). A static
     * archive rather than {@code -XX:ArchiveClassesAtExit}: on JDK 17 only the static dump takes
     * class files older than Java 6, and picocli's are Java 5 (docs/design/distribution.md).
     */
    Recording record(String java, Path archive) throws IOException, InterruptedException {
        Path list = Files.createTempFile("model-depot-", ".classlist");
        Path log = Files.createTempFile("model-depot-", ".log");
        // A name of this install's own, next to the archive (one file system, so the rename is atomic).
        Path fresh = Files.createTempFile(archive.getParent(), ".model-depot-", ".jsa.new");
        for (Path f : List.of(list, log, fresh)) {
            f.toFile().deleteOnExit(); // Ctrl-C skips the finally below; the shutdown still removes them
        }
        try {
            // The list counts even when a training step ended otherwise (exit 1): it then holds fewer classes.
            int trained = run(log, java, "-XX:DumpLoadedClassList=" + list, "-Xlog:disable", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classPath, MAIN, "model-store", "install-commands", "--training-run");
            if (Files.size(list) == 0) {
                return new Recording(false, "the training run listed no classes (exit " + trained + "): " + lastLine(log));
            }
            int dumped = run(log, java, "-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + fresh,
                    "-cp", classPath);
            if (dumped != 0 || !Files.isRegularFile(fresh) || Files.size(fresh) == 0) {
                return new Recording(false, "java -Xshare:dump failed (exit " + dumped + "): " + lastLine(log));
            }
            Files.move(fresh, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Recording(true, "");
        } catch (NoSuchFileException e) {
            return new Recording(false, "the archive in the making was removed meanwhile (an uninstall ran?)");
        } finally {
            Files.deleteIfExists(list);
            Files.deleteIfExists(log);
            Files.deleteIfExists(fresh);
        }
    }

    /**
     * Runs one JVM with its output into {@code log}; its exit code, or -1 when it did not end in
     * two minutes. The JVM is gone when this returns, interrupted or not, so nothing it writes
     * outlives the caller's clean-up.
     */
    private static int run(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : Redact.text(lines.get(lines.size() - 1).strip());
    }

    /**
     * A launcher: plain {@code java} with the command's JVM options. With an archive, it is used
     * only while the JDK is the one that recorded it (its {@code release} file's
     * {@code JAVA_RUNTIME_VERSION} line) and the archive is newer than every jar of the
     * classpath: a JDK updated in place (package managers keep the files' own dates, so a date
     * cannot tell) or a jar that JBang rebuilt would make the JVM reject the whole archive and,
     * since it replaces the JDK's default one, start with no class data at all (slower than with
     * none given). The launcher then starts as if there were no archive until the next install.
     * A JDK without that line gets no archive.
     */
    String launcher(String java, String name, Path archive) {
        List<String> opts = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (name.equals("download-model-with-progress") || name.equals("verify-model-integrity")) {
            opts = new ArrayList<>(List.of("-XX:+UseSerialGC")); // long hashing runs want the optimising compiler
        }
        if (name.equals("download-model-with-progress")) {
            opts = new ArrayList<>(DOWNLOAD_OPTIONS); // the same JVM as the script's, as measured in bench/
        }
        String plain = "exec " + quote(java) + " " + String.join(" ", opts) + " -cp " + quote(classPath) + " " + MAIN + " "
                + name + " \"$@\"\n";
        Path release = releaseOf(java);
        String jdk = archive == null ? null : runtimeVersionLine(release);
        if (jdk == null) {
            return "#!/bin/sh\n" + MARK + "\n" + plain;
        }
        List<String> checks = new ArrayList<>(List.of("[ \"$jdk\" = " + quote(jdk) + " ]", "[ -f \"$a\" ]"));
        for (String entry : classPath.split(File.pathSeparator)) {
            checks.add("[ -f " + quote(entry) + " ] && [ \"$a\" -nt " + quote(entry) + " ]");
        }
        // -Xlog:disable: a JVM that still rejects the archive (another cause) says nothing on every call.
        return "#!/bin/sh\n" + MARK + "\na=" + quote(archive.toString()) + "\njdk=\n"
                + "if [ -f " + quote(release.toString()) + " ]; then\n"
                + "  while IFS= read -r l; do case \"$l\" in JAVA_RUNTIME_VERSION=*) jdk=$l;; esac; done < "
                + quote(release.toString()) + "\nfi\n"
                + "if " + String.join(" && ", checks) + "; then\n"
                + "  exec " + quote(java) + " " + String.join(" ", opts) + " -XX:SharedArchiveFile=\"$a\" -Xlog:disable -cp "
                + quote(classPath) + " " + MAIN + " " + name + " \"$@\"\nfi\n" + plain;
    }

    /** The release file of the JDK whose launcher is {@code java} ({@code JAVA_HOME/bin/java}). */
    static Path releaseOf(String java) {
        return Path.of(java).toAbsolutePath().getParent().getParent().resolve("release");
    }

    /** The {@code JAVA_RUNTIME_VERSION=...} line of a JDK's release file, or null. */
    static String runtimeVersionLine(Path release) {
        try {
            return Files.readAllLines(release, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("JAVA_RUNTIME_VERSION="))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The download script's //JAVA_OPTIONS (a small heap, SerialGC, tier thresholds for a short
     * I/O process; docs/design/download.md). InstallCommandsTest fails when the two differ.
     */
    static final List<String> DOWNLOAD_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:Tier3InvocationThreshold=2000",
            "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000", "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000");

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
