package dev.modeldepot.demo;

import dev.modeldepot.registry.Hardware;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.verify.SampleFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo registry's contents: four model variants of realistic shape (a GGUF with its mmproj, a
 * safetensors pair, a sharded model with a config, and one GGUF the server corrupts), scaled to a
 * total size. Everything is derived from a seed, so two runs serve identical bytes.
 */
public final class DemoCatalog {
    /** Default total: a few hundred MB, enough to watch progress bars move. */
    public static final long DEFAULT_TOTAL = 350_000_000L;

    /** A demo model variant and its files. */
    public record Entry(String model, String variant, String name, String description, List<DemoFile> files) {}

    private final List<Entry> entries;
    private final Map<String, DemoFile> byName = new LinkedHashMap<>();

    private DemoCatalog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        for (Entry e : entries) {
            for (DemoFile f : e.files()) {
                byName.put(urlName(e, f), f);
            }
        }
    }

    /** Builds the catalog with sizes scaled so all files add up to roughly {@code totalBytes}. */
    public static DemoCatalog create(long totalBytes, long seed) {
        double unit = Math.max(totalBytes, 64 * 1024) / 350.0; // the shares below add up to 350
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("demo-llava", "q4_k_m", "Demo LLaVA (GGUF + mmproj)",
                "A vision-language GGUF and its CLIP projector, as llama.cpp loads them.", List.of(
                gguf("demo-llava.Q4_K_M.gguf", false, "weights", (long) (140 * unit), seed + 1, false),
                gguf("mmproj-model-f16.gguf", true, "mmproj", (long) (30 * unit), seed + 2, false))));
        entries.add(new Entry("demo-diffusion", "fp16", "Demo diffusion pair (safetensors)",
                "A UNet and its VAE, two safetensors files that only work together.", List.of(
                safetensors("unet.safetensors", "unet.conv_in.weight", "weights", (long) (60 * unit), seed + 3),
                safetensors("vae.safetensors", "decoder.conv_in.weight", "vae", (long) (20 * unit), seed + 4))));
        entries.add(new Entry("demo-sharded", "fp16", "Demo sharded model",
                "Weights split in three shards plus a config: complete only when every file is.", List.of(
                safetensors("model-00001-of-00003.safetensors", "model.layers.0.weight", "weights", (long) (25 * unit), seed + 5),
                safetensors("model-00002-of-00003.safetensors", "model.layers.1.weight", "weights", (long) (25 * unit), seed + 6),
                safetensors("model-00003-of-00003.safetensors", "model.layers.2.weight", "weights", (long) (25 * unit), seed + 7),
                text("config.json", "{\"architectures\":[\"DemoForCausalLM\"],\"hidden_size\":4096,\"num_hidden_layers\":3}\n",
                        "config", seed + 8))));
        entries.add(new Entry("demo-broken", "q8_0", "Demo broken download",
                "The server sends one wrong byte in this file: the SHA-256 check must catch it.", List.of(
                gguf("demo-broken.Q8_0.gguf", false, "weights", (long) (25 * unit), seed + 9, true))));
        return new DemoCatalog(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The file served at /files/{name}, or null. */
    public DemoFile file(String urlName) {
        return byName.get(urlName);
    }

    public long totalSize() {
        return byName.values().stream().mapToLong(DemoFile::size).sum();
    }

    /** The registry pointing at an origin; computing every SHA-256 takes about a second per 200 MB. */
    public Registry registry(URI origin) {
        List<Model> models = new ArrayList<>();
        for (Entry e : entries) {
            List<ModelFile> files = new ArrayList<>();
            for (DemoFile f : e.files()) {
                files.add(new ModelFile(f.name(), origin.resolve("/files/" + urlName(e, f)), List.of(), f.size(),
                        f.sha256(), f.format(), f.role()));
            }
            Variant variant = new Variant(e.variant(), true, e.description(), Hardware.UNKNOWN, files);
            models.add(new Model(e.model(), e.name(), "1", e.description(), "apache-2.0", null, List.of("demo"), List.of(variant)));
        }
        return new Registry(1, models, List.of(), "the demo registry at " + origin);
    }

    static String urlName(Entry e, DemoFile f) {
        return e.model() + "/" + e.variant() + "/" + f.name();
    }

    private static DemoFile gguf(String name, boolean mmproj, String role, long size, long seed, boolean corrupt) {
        SampleFiles.Header h = SampleFiles.ggufHeader(name, size, mmproj);
        return new DemoFile(name, "gguf", role, h.bytes(), h.size(), seed, corrupt);
    }

    private static DemoFile safetensors(String name, String tensor, String role, long size, long seed) {
        SampleFiles.Header h = SampleFiles.safetensorsHeader(tensor, size);
        return new DemoFile(name, "safetensors", role, h.bytes(), h.size(), seed, false);
    }

    private static DemoFile text(String name, String content, String role, long seed) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new DemoFile(name, "json", role, bytes, bytes.length, seed, false);
    }
}
