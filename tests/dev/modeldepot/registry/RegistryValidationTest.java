package dev.modeldepot.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryValidationTest {
    static final String SHA = "a".repeat(64);

    static String file(String extra) {
        return "{\"path\":\"model.gguf\",\"url\":\"https://example.org/m.gguf\",\"size\":10" + extra + "}";
    }

    static String registry(String fileJson) {
        return "{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"name\":\"M\",\"variants\":[{\"id\":\"q4\",\"files\":[" + fileJson + "]}]}]}";
    }

    static Stream<Arguments> badRegistries() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"schemaVersion\":1,\"models\":[", "not valid JSON (line"),
                Arguments.of("not an object", "[1,2]", "must be a JSON object"),
                Arguments.of("missing schemaVersion", "{\"models\":[]}", "at /schemaVersion: missing"),
                Arguments.of("wrong schemaVersion", "{\"schemaVersion\":7,\"models\":[]}", "at /schemaVersion: must be 1"),
                Arguments.of("unknown root field", "{\"schemaVersion\":1,\"models\":[],\"modles\":[]}", "at /modles: unknown field"),
                Arguments.of("missing model name", "{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"variants\":[]}]}", "at /models/0/name: missing"),
                Arguments.of("bad id", registry(file("")).replace("\"id\":\"m\"", "\"id\":\"Big Model\""), "at /models/0/id: 'Big Model' is not a valid id"),
                Arguments.of("bad sha256", registry(file(",\"sha256\":\"xyz\"")), "at /models/0/variants/0/files/0/sha256: must be 64 lowercase hex"),
                Arguments.of("uppercase sha256", registry(file(",\"sha256\":\"" + "A".repeat(64) + "\"")), "sha256: must be 64 lowercase hex"),
                Arguments.of("negative size", registry(file("").replace("\"size\":10", "\"size\":-5")), "size: must not be negative"),
                Arguments.of("absurd size", registry(file("").replace("\"size\":10", "\"size\":99999999999999999")), "size: is absurd"),
                Arguments.of("size as string", registry(file("").replace("\"size\":10", "\"size\":\"10\"")), "size: must be a whole number"),
                Arguments.of("parent path", registry(file("").replace("model.gguf", "../../etc/passwd")), "unsafe path '../../etc/passwd'"),
                Arguments.of("absolute path", registry(file("").replace("model.gguf", "/etc/passwd")), "absolute"),
                Arguments.of("drive letter", registry(file("").replace("model.gguf", "C:/x.gguf")), "drive letter"),
                Arguments.of("backslash", registry(file("").replace("model.gguf", "a\\\\b.gguf")), "backslash"),
                Arguments.of("empty segment", registry(file("").replace("model.gguf", "a//b.gguf")), "empty segment"),
                Arguments.of("ftp url", registry(file("").replace("https://example.org/m.gguf", "ftp://example.org/m.gguf")), "must be an http(s) URL"),
                Arguments.of("file url", registry(file("").replace("https://example.org/m.gguf", "file:///etc/passwd")), "must be an http(s) URL"),
                Arguments.of("duplicate path", registry(file("") + "," + file("")), "duplicate path 'model.gguf'"),
                Arguments.of("duplicate model",
                        "{\"schemaVersion\":1,\"models\":[" + registry(file("")).replaceAll("^\\{\"schemaVersion\":1,\"models\":\\[|\\]\\}$", "")
                                + "," + registry(file("")).replaceAll("^\\{\"schemaVersion\":1,\"models\":\\[|\\]\\}$", "") + "]}",
                        "duplicate model id 'm'"),
                Arguments.of("unknown file field", registry(file(",\"checksum\":\"x\"")), "files/0/checksum: unknown field"),
                Arguments.of("profile naming unknown model",
                        registry(file("")).replaceAll("\\]\\}$", "],\"profiles\":{\"minimal\":{\"models\":[\"ghost\"]}}}"),
                        "at /profiles/minimal/models/0: names 'ghost'"),
                Arguments.of("profile naming unknown variant",
                        registry(file("")).replaceAll("\\]\\}$", "],\"profiles\":{\"minimal\":{\"models\":[\"m:fp64\"]}}}"),
                        "names 'm:fp64'"),
                Arguments.of("two defaults",
                        "{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"name\":\"M\",\"variants\":[{\"id\":\"a\",\"default\":true,\"files\":[" + file("")
                                + "]},{\"id\":\"b\",\"default\":true,\"files\":[" + file("") + "]}]}]}",
                        "more than one variant is marked default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRegistries")
    void everyKindOfBadRegistryIsOneClearBadInputError(String kind, String json, String expected) {
        DepotException e = assertThrows(DepotException.class, () -> RegistryLoader.parse(json, "test.json"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(expected), () -> kind + ": message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String json = registry(file(",\"sha256\":\"nope\"").replace("\"size\":10", "\"size\":-1"));
        DepotException e = assertThrows(DepotException.class, () -> RegistryLoader.parse(json, "test.json"));
        assertTrue(e.getMessage().contains("2 problems"), e.getMessage());
        assertTrue(e.getMessage().contains("/sha256") && e.getMessage().contains("/size"), e.getMessage());
    }

    @Test
    void aValidRegistryLoadsIntoRecords() {
        String json = "{\"schemaVersion\":1,\"models\":[{\"id\":\"llm\",\"name\":\"LLM\",\"variants\":["
                + "{\"id\":\"q4\",\"files\":[" + file(",\"sha256\":\"" + SHA + "\",\"role\":\"weights\"") + "]},"
                + "{\"id\":\"q8\",\"default\":true,\"files\":[" + file("") + ",{\"path\":\"sub/mmproj.gguf\",\"url\":\"http://h/x?sig=secret\",\"size\":5,\"role\":\"mmproj\"}]}]}],"
                + "\"profiles\":{\"minimal\":{\"models\":[\"llm:q4\"]},\"full\":{\"models\":[\"llm\",\"llm:q4\"]}}}";
        Registry r = RegistryLoader.parse(json, "t");
        assertEquals("q8", r.resolve("llm").variant().id(), "default variant");
        assertEquals(15, r.resolve("llm").totalSize());
        assertTrue(r.resolve("llm:q4").variant().fullyVerifiable());
        assertFalse(r.resolve("llm:q8").variant().fullyVerifiable());
        assertEquals(10, r.profileSize("minimal"));
        assertEquals(2, r.resolveProfile("full").size());
        assertEquals(ExitCode.BAD_INPUT, assertThrows(DepotException.class, () -> r.resolve("nope")).exitCode());
        assertEquals(ExitCode.BAD_INPUT, assertThrows(DepotException.class, () -> r.resolve("llm:fp32")).exitCode());
    }

    @Test
    void theCommandLinePrintsOneSentenceAndExits2WithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, registry(file(",\"sha256\":\"zz\"")));
        Run run = Run.of(new ModelStoreCommand(), "registry", "validate", bad.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("sha256: must be 64 lowercase hex"), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @Test
    void theShippedRegistryIsValid() {
        Path shipped = Path.of(System.getProperty("modeldepot.repo", "."), "registry", "model-registry.json");
        Registry r = RegistryLoader.load(shipped.toString(), true);
        assertTrue(r.models().size() >= 3, "the shipped registry describes at least three models");
        assertTrue(r.profile("minimal").isPresent() && r.profile("full").isPresent());
        assertTrue(r.models().stream().anyMatch(m -> m.variants().stream()
                .anyMatch(v -> v.files().stream().anyMatch(f -> "mmproj".equals(f.role())))), "an LLM with an mmproj");
        assertTrue(r.models().stream().flatMap(m -> m.variants().stream()).anyMatch(v -> v.source() != null && v.source().isHf()),
                "an example of a variant named by its Hugging Face repository");
        assertTrue(r.models().stream().flatMap(m -> m.variants().stream()).anyMatch(v -> v.source() != null && v.source().isOci()),
                "an example of a variant named by an OCI reference");
    }
}
