package dev.modeldepot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import dev.modeldepot.tui.DashboardCommand;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Messages a script can rely on: one failure is one line on stderr; with --json it is also a
 * {"event":"failed","error":{...}} line on stdout; help shows examples and exit codes.
 */
class ErrorMessagesTest {
    @TempDir
    Path dir;

    static List<String> lines(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\n"));
    }

    static JsonNode lastJson(String out) throws Exception {
        List<String> l = lines(out);
        return Json.MAPPER.readTree(l.get(l.size() - 1));
    }

    @Test
    void unknownModelWithJsonIsAFailedEventOnStdout() throws Exception {
        Run r = Run.of(new CheckModelsCommand(), "nope", "--json", "--cache-dir", dir.toString());
        assertEquals(2, r.exitCode());
        JsonNode failed = lastJson(r.out());
        assertEquals("failed", failed.path("event").asText(), r.out());
        assertEquals(2, failed.path("error").path("code").asInt());
        assertTrue(failed.path("error").path("message").asText().contains("unknown model 'nope'"), r.out());
        assertEquals(1, lines(r.err()).size(), r.err());
    }

    @Test
    void a404IsOneLineOnStderrAndNothingOnStdout() throws Exception {
        try (FaultOrigin origin = FaultOrigin.start()) {
            Run r = Run.of(new DownloadCommand(), "--url", origin.url("/missing.gguf").toString(), "-o", dir.resolve("m.gguf").toString());
            assertEquals(1, r.exitCode());
            assertEquals("", r.out().strip(), "no result, so nothing on stdout");
            assertEquals(1, lines(r.err()).size(), r.err());
            assertTrue(r.err().contains("404"), r.err());
        }
    }

    @Test
    void aRefusedConnectionFailsInSecondsWithOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        long start = System.nanoTime();
        Run r = Run.of(new DownloadCommand(), "--json", "--url", "http://127.0.0.1:" + port + "/m.gguf", "-o", dir.resolve("m.gguf").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(seconds < 20, "gave up after " + seconds + " s, not after 8 retries");
        assertFalse(r.out().contains("\"retry\""), r.out());
        assertTrue(lastJson(r.out()).path("error").path("message").asText().contains("connection refused"), r.out());
        assertEquals(1, lines(r.err()).size(), r.err());
    }

    @Test
    void anUnknownHostSaysSoInSeconds() {
        long start = System.nanoTime();
        Run r = Run.of(new DownloadCommand(), "--url", "http://no-such-host.invalid/m.gguf", "-o", dir.resolve("m.gguf").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("cannot resolve no-such-host.invalid (offline? set HF_ENDPOINT, a proxy, or use --offline)"), r.err());
        assertTrue(seconds < 30, "gave up after " + seconds + " s");
        assertEquals(1, lines(r.err()).size(), r.err());
    }

    @Test
    void ctrlCPrintsOneLine() throws Exception {
        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/slow.bin", FaultOrigin.randomBytes(4 << 20, 5)).bytesPerSecond(128 * 1024);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path err = dir.resolve("err.txt");
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "DownloadModelWithProgress",
                    "--url", origin.url("/slow.bin").toString(), "-o", dir.resolve("slow.bin").toString())
                    .redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (origin.bytesSent("/slow.bin") < 200_000 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(child.isAlive(), Files.readString(err));
            new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start().waitFor();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(130, child.exitValue(), Files.readString(err));
            List<String> errors = Files.readAllLines(err).stream().filter(l -> l.contains("error") || l.contains("interrupted")).toList();
            assertEquals(1, errors.size(), Files.readString(err));
            assertEquals("", Files.readString(dir.resolve("out.txt")).strip());
        }
    }

    @Test
    void mistypedOptionsAndSubcommandsGetASuggestion() {
        Run option = Run.of(new DownloadCommand(), "--conections", "4");
        assertEquals(2, option.exitCode());
        assertTrue(option.err().contains("did you mean --connections?"), option.err());
        assertEquals(1, lines(option.err()).size(), option.err());
        Run sub = Run.of(new ModelStoreCommand(), "prnue");
        assertEquals(2, sub.exitCode());
        assertTrue(sub.err().contains("did you mean prune"), sub.err());
    }

    @Test
    void modelStoreAloneListsItsSubcommands() {
        Run r = Run.of(new ModelStoreCommand());
        assertEquals(2, r.exitCode());
        for (String sub : List.of("list", "path", "import", "pin", "delete", "prune", "du", "serve", "registry")) {
            assertTrue(r.err().contains("\n  " + sub + " "), sub + " listed:\n" + r.err());
        }
    }

    @Test
    void everyCommandAndSubcommandHelpHasExamplesAndExitCodes() {
        List<String> missing = new ArrayList<>();
        for (Object root : List.of(new DownloadCommand(), new dev.modeldepot.cli.VerifyCommand(), new CheckModelsCommand(),
                new ModelStoreCommand(), new DashboardCommand())) {
            walk(Cli.newCommandLine(root), missing);
        }
        assertEquals(List.of(), missing);
    }

    private static void walk(CommandLine cl, List<String> missing) {
        StringWriter help = new StringWriter();
        cl.usage(new java.io.PrintWriter(help));
        if (!help.toString().contains("\nExamples:\n  ") || !help.toString().contains("Exit codes:")) {
            missing.add(cl.getCommandSpec().qualifiedName());
        }
        cl.getSubcommands().values().forEach(s -> walk(s, missing));
    }

    @Test
    void fileErrorsSayWhatToDo() {
        CommandLine download = Cli.newCommandLine(new DownloadCommand());
        CommandLine.ParseResult parsed = download.parseArgs("--url", "http://h/m", "-o", "/sys/m.gguf");
        String ro = FileErrorHints.message(new FileSystemException("/sys/.m.gguf.lock", null, "Read-only file system"), download, parsed);
        assertEquals("cannot write /sys/.m.gguf.lock: read-only file system; choose another -o", ro);

        CommandLine store = Cli.newCommandLine(new ModelStoreCommand());
        CommandLine.ParseResult listed = store.parseArgs("--cache-dir", dir.toString(), "list");
        String denied = FileErrorHints.message(new AccessDeniedException(dir.resolve("blobs/x").toString()),
                store.getSubcommands().get("list"), listed.subcommand());
        assertTrue(denied.endsWith("permission denied; choose a writable store with --cache-dir DIR or MODELDEPOT_CACHE"), denied);
    }
}
