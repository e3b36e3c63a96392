package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.Requires;
import dev.modeldepot.testing.Run;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with coreutils: sums files written by the real {@code sha256sum} (plain, -b, --tag,
 * CRLF) over awkward names (UTF-8, latin1 bytes, newline, backslash, blanks), plus hand-made
 * lines (NUL inside, OpenSSL style, a trailing blank), checked by {@code sha256sum -c} and by us:
 * the same verdict for every name, the same malformed-line count, the same success or failure.
 * The same sums files are also checked by our command in a child JVM under LANG=C.
 */
class Sha256sumParityTest {
    /** Names as bytes: what a shell glob hands to sha256sum. */
    static final List<byte[]> NAMES = List.of(
            ascii("plain.bin"), "café.gguf".getBytes(StandardCharsets.UTF_8), latin1("latin1-\u00e9.bin"),
            ascii("new\nline.json"), ascii("back\\slash.json"), ascii("two  spaces .bin"), ascii("changed.bin"),
            ascii("cr\rname.bin"));
    static final Pattern MALFORMED = Pattern.compile("WARNING: (\\d+) lines? (is|are) improperly formatted");

    @TempDir
    Path dir;
    Path data;
    Path sha256sum;

    @BeforeEach
    void writeFilesAndSums() throws Exception {
        sha256sum = Requires.command("sha256sum");
        data = Files.createDirectories(dir.resolve("release"));
        int i = 0;
        for (byte[] name : NAMES) {
            Files.write(NameBytes.of(name).resolveIn(data), ("content " + i++).repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        sh("sha256sum -- * > .plain.sums && sha256sum -b -- * > .binary.sums && sha256sum --tag -- * > .tag.sums"
                + " && sed 's/$/\\r/' .plain.sums > .crlf.sums && sed 's/$/\\r/' .tag.sums > .tagcrlf.sums");
        String plainHash = hashOf("plain.bin");
        byte[] awkward = concat(
                ascii(plainHash + "  plain.bin\0trailing junk after a NUL\n"),
                ascii("SHA256(back\\slash.json)= " + hashOf("back\\slash.json") + "\n"),
                ascii("SHA256 (two  spaces .bin) = " + hashOf("two  spaces .bin") + " \n"),
                ascii("SHA256 (changed.bin) =\t" + hashOf("changed.bin") + "\n"),
                ascii("\\" + hashOf("changed.bin") + "  bad\\escape\n"),
                ascii(hashOf("plain.bin") + "  absent.bin\n"),
                ascii("not a checksum line\n"));
        Files.write(data.resolve(".awkward.sums"), awkward);
        // Damage one file after the sums were written: every listing now has one mismatch.
        Files.writeString(data.resolve("changed.bin"), "other bytes");
    }

    @Test
    void ourVerdictsEqualSha256sumsOnEverySumsFile() throws Exception {
        for (String sums : List.of(".plain.sums", ".binary.sums", ".tag.sums", ".crlf.sums", ".tagcrlf.sums", ".awkward.sums")) {
            Result theirs = sha256sumCheck(sums);
            Result ours = ours(sums);
            assertEquals(theirs.verdicts(), ours.verdicts(), sums);
            assertEquals(theirs.malformed(), ours.malformed(), sums + ": improperly formatted lines");
            assertEquals(theirs.status() == 0, ours.status() == 0, sums + ": success " + theirs.status() + " vs " + ours.status());
            assertFalse(theirs.verdicts().isEmpty(), sums);
        }
        Result tagged = ours(".tag.sums");
        assertEquals("OK", tagged.verdicts().get(NameBytes.of(latin1("latin1-\u00e9.bin")).shown()), tagged.toString());
        assertEquals("FAILED", tagged.verdicts().get("changed.bin"));
        assertEquals(3, tagged.status(), "a mismatch is corruption: exit 3");
    }

    @Test
    void namesMatchUnderLangCInAChildJvm() throws Exception {
        for (String sums : List.of(".plain.sums", ".tag.sums")) {
            Path report = dir.resolve(sums + ".json");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), VerifyChild.class.getName(),
                    "--cache-dir", dir.resolve("store").toString(), "--sums", data.resolve(sums).toString(), "--report", report.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("LANG", "C");
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertFalse(out.contains("Exception"), out);
            assertEquals(3, p.exitValue(), out);
            Result ours = fromReport(Files.readString(report), p.exitValue());
            assertEquals(sha256sumCheck(sums).verdicts(), ours.verdicts(), sums + " under LANG=C: " + out);
            assertTrue(out.contains("\\new\\nline.json"), "a newline in a name is escaped, coreutils style: " + out);
        }
    }

    @Test
    void generateWritesNameBytesThatSha256sumAccepts() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("gen"));
        for (byte[] name : NAMES) {
            // .txt: no structural check, so the exit code is about the names alone.
            Files.write(NameBytes.of(concat(name, ascii(".txt"))).resolveIn(copy), name);
        }
        Run run = Run.of(new VerifyCommand(), "--cache-dir", dir.resolve("store").toString(), "--generate", copy.toString());
        assertEquals(0, run.exitCode(), run.err());
        Process p = new ProcessBuilder(sha256sum.toString(), "-c", "--strict", "SHA256SUMS").directory(copy.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.waitFor(), out);
        assertEquals(NAMES.size(), out.split("\n").length, out);
        assertTrue(new String(Files.readAllBytes(copy.resolve("SHA256SUMS")), StandardCharsets.ISO_8859_1).contains("latin1-\u00e9.bin.txt"),
                "the latin1 byte is written as itself, not as U+FFFD");
    }

    record Result(Map<String, String> verdicts, int malformed, int status) {}

    /** sha256sum -c's verdict per name (unescaped, then shown our way), its warnings and status. */
    private Result sha256sumCheck(String sums) throws Exception {
        Process p = new ProcessBuilder(sha256sum.toString(), "-c", sums).directory(data.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        Map<String, String> verdicts = new TreeMap<>();
        int start = 0;
        for (int i = 0; i <= out.length; i++) {
            if (i < out.length && out[i] != '\n') {
                continue;
            }
            String line = new String(out, start, i - start, StandardCharsets.ISO_8859_1);
            start = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.lastIndexOf(": ");
            String name = line.substring(0, colon);
            if (name.startsWith("\\")) {
                name = name.substring(1).replace("\\n", "\n").replace("\\\\", "\\");
            }
            verdicts.put(NameBytes.of(name.getBytes(StandardCharsets.ISO_8859_1)).shown(), line.substring(colon + 2));
        }
        Matcher m = MALFORMED.matcher(err);
        return new Result(verdicts, m.find() ? Integer.parseInt(m.group(1)) : 0, status);
    }

    private Result ours(String sums) throws Exception {
        Path report = dir.resolve(sums + ".json");
        Run run = Run.of(new VerifyCommand(), "--cache-dir", dir.resolve("store").toString(), "--sums", data.resolve(sums).toString(),
                "--report", report.toString());
        assertFalse(run.err().contains("Exception"), run.err());
        return fromReport(Files.readString(report), run.exitCode());
    }

    private static Result fromReport(String json, int status) throws Exception {
        JsonNode report = Json.MAPPER.readTree(json);
        Map<String, String> verdicts = new TreeMap<>();
        for (JsonNode f : report.get("files")) {
            verdicts.put(f.get("file").asText(), switch (Verdict.valueOf(f.get("verdict").asText())) {
                case OK -> "OK";
                case HASH_MISMATCH -> "FAILED";
                case MISSING -> "FAILED open or read";
                default -> f.get("verdict").asText();
            });
        }
        return new Result(verdicts, report.get("malformedLines").asInt(), status);
    }

    private String hashOf(String name) throws Exception {
        Process p = new ProcessBuilder(sha256sum.toString(), "--", name).directory(data.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        p.waitFor();
        return out.substring(out.startsWith("\\") ? 1 : 0, 64 + (out.startsWith("\\") ? 1 : 0));
    }

    private void sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(data.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The command in a child JVM, as the scripts run it. */
    public static final class VerifyChild {
        public static void main(String[] args) {
            dev.modeldepot.cli.Cli.main(new VerifyCommand(), args);
        }
    }
}
