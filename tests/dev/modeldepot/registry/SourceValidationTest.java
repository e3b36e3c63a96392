package dev.modeldepot.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Variants with "source" instead of "files", and hf:// / oci:// references. */
class SourceValidationTest {
    static String registry(String variantBody) {
        return "{\"schemaVersion\":1,\"models\":[{\"id\":\"m\",\"name\":\"M\",\"variants\":[{\"id\":\"v\"," + variantBody + "}]}]}";
    }

    @Test
    void anHfSourceIsAVariantWithoutFilesUntilResolved() {
        Registry r = RegistryLoader.parse(registry("\"source\":{\"hf\":\"acme/tiny-GGUF\",\"include\":[\"*.gguf\"],\"exclude\":[\"*Q8*\"]}"), "t");
        Variant v = r.resolve("m").variant();
        assertFalse(v.resolved());
        assertEquals(new VariantSource("hf", "acme/tiny-GGUF", "main", List.of("*.gguf"), List.of("*Q8*"), null), v.source());
    }

    @Test
    void anOciSourceCarriesItsTagOrDigest() {
        Registry r = RegistryLoader.parse(registry("\"source\":{\"oci\":\"127.0.0.1:5000/ai/tiny:q4\"}"), "t");
        VariantSource s = r.resolve("m").variant().source();
        assertEquals("127.0.0.1:5000/ai/tiny", s.repo());
        assertEquals("q4", s.revision());
        assertEquals("oci://127.0.0.1:5000/ai/tiny:q4", s.uri());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"files\":[{\"path\":\"a\",\"url\":\"https://e.org/a\",\"size\":1}],\"source\":{\"hf\":\"a/b\"}|has both 'files' and 'source'",
            "\"source\":{\"hf\":\"not a repo\"}|is not a Hugging Face repository id",
            "\"source\":{\"hf\":\"a/b\",\"oci\":\"h/n:t\"}|exactly one of 'hf'",
            "\"source\":{\"oci\":\"h/n:t\",\"revision\":\"main\"}|carries its tag or digest in 'oci'",
            "\"source\":{\"oci\":\"nohost\"}|is not host[:port]/name",
            "\"source\":{\"hf\":\"a/b\",\"include\":\"*.gguf\"}|must be an array of glob patterns",
            "\"source\":{\"hf\":\"a/b\",\"branch\":\"x\"}|unknown field"})
    void badSourcesAreListedWithTheirLocation(String body, String expected) {
        DepotException e = assertThrows(DepotException.class, () -> RegistryLoader.parse(registry(body), "t"));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("/models/0/variants/0"), e.getMessage());
    }

    @Test
    void referencesParseToAdHocModels() {
        VariantRef hf = Registry.adHoc(VariantSource.parse("hf://TheOrg/Tiny-GGUF@v1.0/sub/model.gguf"));
        assertEquals("theorg--tiny-gguf:v1.0", hf.key());
        assertEquals(List.of("sub/model.gguf"), hf.variant().source().include());
        VariantRef oci = Registry.adHoc(VariantSource.parse("oci://localhost:5000/ai/smollm2@sha256:" + "ab".repeat(32)));
        assertEquals("ai--smollm2:digest-abababababab", oci.key());
        assertEquals("sha256:" + "ab".repeat(32), oci.variant().source().revision());
        assertEquals(ExitCode.BAD_INPUT, assertThrows(DepotException.class, () -> VariantSource.parse("hf://")).exitCode());
        assertEquals(ExitCode.BAD_INPUT, assertThrows(DepotException.class, () -> VariantSource.parse("oci://host-only")).exitCode());
    }
}
