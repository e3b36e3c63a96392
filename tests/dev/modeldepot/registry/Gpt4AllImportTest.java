package dev.modeldepot.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.CommonOptions;
import dev.modeldepot.cli.DownloadCommand;
import dev.modeldepot.cli.ModelStoreCommand;
import dev.modeldepot.testing.FaultOrigin;
import dev.modeldepot.testing.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT4All's models3.json converted into a registry; md5-only entries checked by md5 after download. */
class Gpt4AllImportTest {
    static final Path FIXTURE = Path.of(System.getProperty("modeldepot.repo", "."), "tests/dev/modeldepot/registry/gpt4all-models3.json");
    @TempDir
    Path dir;

    @Test
    void convertsWhatItCanAndListsWhatItCannot() throws Exception {
        Path out = dir.resolve("gpt4all-registry.json");
        Run r = Run.of(new ModelStoreCommand(), "registry", "import", "--gpt4all", FIXTURE.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Registry registry = RegistryLoader.load(out.toString(), true);
        assertEquals(List.of("llama-3.2-1b-instruct-q4_0", "mistral-7b-instruct-v0.1.q4_0", "mistral-7b-instruct-v0.1.q4_0-2"),
                registry.models().stream().map(Model::id).toList());
        Model llama = registry.models().get(0);
        ModelFile f = llama.defaultVariant().files().get(0);
        assertEquals(773025920L, f.size());
        assertEquals("c30a2a9ab3a2fb4ab0e7a8a1a0c4e0b1e1d2f3a4b5c6d7e8f9a0b1c2d3e4f5a6", f.sha256());
        assertEquals(null, f.md5(), "sha256 known: md5 not needed");
        assertEquals("q4_0", llama.defaultVariant().id());
        assertEquals(4.0, llama.defaultVariant().hardware().minRamGb());
        assertEquals("Fast responsesInstruct modelTrained by Meta", llama.description());
        assertTrue(llama.tags().containsAll(List.of("LLaMA3", "1 billion")));
        ModelFile mistral = registry.models().get(1).defaultVariant().files().get(0);
        assertEquals("97463be739b50525df56d33b26b00852", mistral.md5());
        assertTrue(mistral.weakerChecksum());
        assertTrue(r.err().contains("not converted: Orca 2 (Medium): no url"), r.err());
        assertTrue(r.err().contains("not converted: Nomic Embed Text v1: filesize 'about 262 MB' is not a whole number"), r.err());
        assertTrue(r.err().contains("converted 3 entries (2 with only an md5: a weaker checksum); 2 could not be converted"), r.err());
    }

    @Test
    void notACatalogIsBadInput() throws Exception {
        Path bad = dir.resolve("models3.json");
        Files.writeString(bad, "{\"models\": []}");
        Run r = Run.of(new ModelStoreCommand(), "registry", "import", "--gpt4all", bad.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("is not a GPT4All catalog"), r.err());
    }

    @Test
    void md5OnlyFilesAreCheckedByMd5AfterTheDownload() throws Exception {
        byte[] good = FaultOrigin.randomBytes(200_000, 3);
        try (FaultOrigin origin = FaultOrigin.start()) {
            origin.serve("/m.gguf", good);
            for (String md5 : List.of(md5(good), "0".repeat(32))) {
                Path registry = dir.resolve("r.json");
                Files.writeString(registry, """
                        {"schemaVersion":1,"models":[{"id":"m","name":"M","variants":[{"id":"q4","files":[
                          {"path":"m.gguf","url":"%s","size":%d,"md5":"%s"}]}]}]}
                        """.formatted(origin.url("/m.gguf"), good.length, md5));
                DownloadCommand cmd = new DownloadCommand();
                cmd.common = new CommonOptions();
                cmd.common.env = Map.of();
                cmd.installSignalHook = false;
                Path store = dir.resolve("store-" + md5.charAt(0));
                Run r = Run.of(cmd, "--registry", registry.toString(), "--cache-dir", store.toString(), "-q", "m");
                Path readable = store.resolve("models/m/q4/m.gguf");
                if (md5.equals(md5(good))) {
                    assertEquals(0, r.exitCode(), r.err());
                    assertTrue(Files.exists(readable));
                } else {
                    assertEquals(3, r.exitCode(), r.err());
                    assertTrue(r.err().contains("does not match its md5"), r.err());
                    assertFalse(Files.exists(readable));
                }
            }
        }
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }
}
