package dev.modeldepot.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeldepot.cli.VerifyCommand;
import dev.modeldepot.core.Json;
import dev.modeldepot.testing.ModelFiles;
import dev.modeldepot.testing.Requires;
import dev.modeldepot.testing.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SHA256SUMS files read like coreutils reads them, checked against the real sha256sum -c. */
class Sha256SumsTest {
    static final String H = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    @Test
    void parsesTextBinaryTaggedEscapedCommentsAndCrlf() {
        String text = "# comment\n"
                + H + "  plain.gguf\n"
                + H.toUpperCase() + " *bin.safetensors\r\n"
                + "\n"
                + "SHA256 (tagged.onnx) = " + H + "\n"
                + "\\" + H + "  back\\\\slash\\nnewline\n"
                + H + "  sub/dir/name with spaces\n";
        Sha256Sums.Parsed p = Sha256Sums.parse(dir, text);
        assertEquals(0, p.malformedLines());
        assertEquals(List.of("plain.gguf", "bin.safetensors", "tagged.onnx", "back\\slash\nnewline", "sub/dir/name with spaces"),
                p.entries().stream().map(e -> e.name().utf8()).toList());
        assertTrue(p.entries().get(1).binary());
        assertEquals(H, p.entries().get(1).sha256());
        assertEquals(dir.resolve("sub/dir/name with spaces"), p.resolve(p.entries().get(4)));
    }

    @Test
    void countsMalformedLines() {
        String text = "garbage\n"
                + H.substring(1) + "  short-hash\n"
                + "zz" + H.substring(2) + "  not-hex\n"
                + H + "\n"
                + "\\" + H + "  bad\\escape\n"
                + H + "  good\n";
        Sha256Sums.Parsed p = Sha256Sums.parse(dir, text);
        assertEquals(5, p.malformedLines());
        assertEquals(List.of("good"), p.entries().stream().map(e -> e.name().utf8()).toList());
    }

    @Test
    void writesEscapedNamesLikeCoreutils() {
        assertEquals(H + "  a.gguf\n", Sha256Sums.line(H, "a.gguf"));
        assertEquals("\\" + H + "  a\\\\b\\nc\n", Sha256Sums.line(H, "a\\b\nc"));
    }

    /** The per-file verdicts of real `sha256sum -c` run in the sums file's folder, by name. */
    private Map<String, String> sha256sumVerdicts(Path sums, int[] status) throws Exception {
        Path tool = Requires.command("sha256sum");
        Process p = new ProcessBuilder(tool.toString(), "-c", sums.getFileName().toString())
                .directory(sums.getParent().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        status[0] = p.waitFor();
        Map<String, String> verdicts = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.lastIndexOf(": ");
            String name = line.substring(0, colon);
            if (name.startsWith("\\")) {
                name = name.substring(1).replace("\\n", "\n").replace("\\\\", "\\");
            }
            verdicts.put(name, line.substring(colon + 2));
        }
        return verdicts;
    }

    private Map<String, String> ourVerdicts(Path sums, int[] status, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "--cache-dir";
        args[1] = dir.resolve("store").toString();
        args[2] = "--sums";
        args[3] = sums.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        Run run = Run.of(new VerifyCommand(), concat(args, "--json"));
        status[0] = run.exitCode();
        Map<String, String> verdicts = new TreeMap<>();
        if (run.out().isBlank()) {
            return verdicts;
        }
        JsonNode report;
        try {
            report = Json.MAPPER.readTree(run.out());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + run.out() + run.err(), e);
        }
        if (report.has("error")) {
            // A refused sums file is one {"event":"failed",...} document under --json: no verdicts.
            return verdicts;
        }
        for (JsonNode f : report.get("files")) {
            String v = switch (Verdict.valueOf(f.get("verdict").asText())) {
                case OK -> "OK";
                case HASH_MISMATCH -> "FAILED";
                case MISSING -> "FAILED open or read";
                default -> f.get("verdict").asText();
            };
            verdicts.put(f.get("file").asText(), v);
        }
        return verdicts;
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @Test
    void sameVerdictsAsSha256sumOnABadLineAMissingFileAMalformedLineAndABinaryMarker() throws Exception {
        Path data = Files.createDirectories(dir.resolve("release"));
        Path good = ModelFiles.gguf(data.resolve("model.gguf"), 100_000);
        Path bin = ModelFiles.safetensors(data.resolve("sub").resolve("weights.safetensors"), 50_000);
        Path bad = ModelFiles.json(data.resolve("config.json"), "{\"a\":1}");
        Path odd = ModelFiles.json(data.resolve("odd\\name.json"), "[]");
        String badSha = ModelFiles.sha256(bad);
        ModelFiles.json(bad, "{\"a\":2}");
        String text = ModelFiles.sha256(good) + "  model.gguf\n"
                + ModelFiles.sha256(bin) + " *sub/weights.safetensors\n"
                + badSha + "  config.json\n"
                + "this line is not a checksum line\n"
                + H + "  gone.gguf\n"
                + Sha256Sums.line(ModelFiles.sha256(odd), "odd\\name.json");
        Path sums = Files.writeString(data.resolve("SHA256SUMS"), text);

        int[] theirs = new int[1];
        int[] ours = new int[1];
        Map<String, String> expected = sha256sumVerdicts(sums, theirs);
        Map<String, String> actual = ourVerdicts(sums, ours);
        assertEquals(5, expected.size(), expected.toString());
        assertEquals(expected, actual);
        assertNotEquals(0, theirs[0]);
        assertEquals(3, ours[0], "a mismatch is corruption: exit 3");
    }

    @Test
    void oddButLegalFormsMatchSha256sumToo() throws Exception {
        Path data = Files.createDirectories(dir.resolve("odd"));
        Path a = ModelFiles.json(data.resolve("a.json"), "[1]");
        Path b = ModelFiles.json(data.resolve("b.json"), "[2]");
        Path c = ModelFiles.json(data.resolve("c.json"), "[3]");
        int[] theirs = new int[1];
        int[] ours = new int[1];
        // BSD-tagged lines, a comment, CRLF endings.
        Path sums = Files.writeString(data.resolve("TAGGED"), "# made by hand\r\nSHA256 (a.json) = " + ModelFiles.sha256(a) + "\r\n"
                + ModelFiles.sha256(b) + "  b.json\r\n");
        Map<String, String> expected = sha256sumVerdicts(sums, theirs);
        assertEquals(Map.of("a.json", "OK", "b.json", "OK"), expected);
        assertEquals(expected, ourVerdicts(sums, ours));
        // "HEX name" with one blank: the first line decides that form, so "  c.json" later means " c.json".
        sums = Files.writeString(data.resolve("REVERSED"), ModelFiles.sha256(a) + " a.json\n"
                + ModelFiles.sha256(c) + "  c.json\n" + ModelFiles.sha256(b) + "\tb.json\n");
        expected = sha256sumVerdicts(sums, theirs);
        assertEquals(Map.of("a.json", "OK", " c.json", "FAILED open or read", "b.json", "OK"), expected);
        assertEquals(expected, ourVerdicts(sums, ours));
        assertEquals(1, ours[0]);
    }

    @Test
    void missingOnlyAndMalformedOnlyHaveTheSameStatusSemantics() throws Exception {
        Path data = Files.createDirectories(dir.resolve("d"));
        Path good = ModelFiles.onnx(data.resolve("m.onnx"));
        Path sums = Files.writeString(data.resolve("SHA256SUMS"), ModelFiles.sha256(good) + "  m.onnx\n" + H + "  absent.onnx\n");
        int[] theirs = new int[1];
        int[] ours = new int[1];
        assertEquals(sha256sumVerdicts(sums, theirs), ourVerdicts(sums, ours));
        assertNotEquals(0, theirs[0]);
        assertEquals(1, ours[0], "missing and nothing corrupt: exit 1");

        // A malformed line alone is a warning for sha256sum -c (status 0), and for us.
        Files.writeString(sums, ModelFiles.sha256(good) + "  m.onnx\nnonsense\n");
        assertEquals(sha256sumVerdicts(sums, theirs), ourVerdicts(sums, ours));
        assertEquals(0, theirs[0]);
        assertEquals(0, ours[0]);
        Run run = Run.of(new VerifyCommand(), "--cache-dir", dir.resolve("store").toString(), "--sums", sums.toString());
        assertTrue(run.err().contains("1 line is improperly formatted"), run.err());

        // Nothing well-formed: both refuse (sha256sum 1, we 2 for bad input).
        Files.writeString(sums, "nonsense\n");
        sha256sumVerdicts(sums, theirs);
        ourVerdicts(sums, ours);
        assertNotEquals(0, theirs[0]);
        assertEquals(2, ours[0]);
    }

    @Test
    void generatedSumsAreAcceptedBySha256sum() throws Exception {
        Path data = Files.createDirectories(dir.resolve("out"));
        ModelFiles.gguf(data.resolve("model.gguf"), 120_000);
        ModelFiles.mmproj(data.resolve("mmproj.gguf"), 40_000);
        ModelFiles.torchZip(data.resolve("nested").resolve("pytorch_model.bin"), 1000);
        ModelFiles.json(data.resolve("with\\backslash.json"), "{}");
        Run gen = Run.of(new VerifyCommand(), "--cache-dir", dir.resolve("store").toString(), "--generate", data.toString());
        assertEquals(0, gen.exitCode(), gen.err());
        assertTrue(gen.out().contains("wrote " + data.resolve("SHA256SUMS") + " (4 files"), gen.out());
        int[] theirs = new int[1];
        Map<String, String> verdicts = sha256sumVerdicts(data.resolve("SHA256SUMS"), theirs);
        assertEquals(0, theirs[0]);
        assertEquals(Map.of("model.gguf", "OK", "mmproj.gguf", "OK", "nested/pytorch_model.bin", "OK", "with\\backslash.json", "OK"), verdicts);
    }
}
