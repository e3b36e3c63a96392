package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads and writes the per-variant metadata documents. Writes are atomic (temp file, fsync,
 * rename), so a crash leaves the old document or the new one. A document that still fails to
 * parse (disk damage, a hand edit) is reported; the store rebuilds it from the blobs and the
 * registry, moving the damaged one to quarantine/. It is never fatal.
 */
final class MetaStore {
    /** A document as found: {@code meta} is null when it is absent or was damaged. */
    record Loaded(String model, String variant, VariantMeta meta, boolean damaged) {}

    private final StoreLayout layout;
    private final Clock clock;
    private final Consumer<String> warnings;

    MetaStore(StoreLayout layout, Clock clock, Consumer<String> warnings) {
        this.layout = layout;
        this.clock = clock;
        this.warnings = warnings;
    }

    Loaded read(String model, String variant) {
        Path file = layout.metaFile(model, variant);
        try {
            byte[] bytes = Files.readAllBytes(file);
            VariantMeta meta = Json.MAPPER.readValue(bytes, VariantMeta.class);
            if (meta == null || meta.model() == null || meta.variant() == null || meta.schema() != VariantMeta.SCHEMA) {
                throw new IOException("not a metadata document of schema " + VariantMeta.SCHEMA);
            }
            return new Loaded(model, variant, meta, false);
        } catch (NoSuchFileException e) {
            return new Loaded(model, variant, null, false);
        } catch (IOException e) {
            warnings.accept("the metadata of " + model + ":" + variant + " is damaged (" + e.getClass().getSimpleName() + ")");
            return new Loaded(model, variant, null, true);
        }
    }

    void write(VariantMeta meta) throws IOException {
        AtomicFiles.write(layout.metaFile(meta.model(), meta.variant()), Json.pretty(meta).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void delete(String model, String variant) throws IOException {
        Path file = layout.metaFile(model, variant);
        Files.deleteIfExists(file);
        deleteIfEmpty(file.getParent());
    }

    /** Every document in the store, damaged ones included (reported, with a null meta). */
    List<Loaded> all() throws IOException {
        List<Loaded> out = new ArrayList<>();
        if (!Files.isDirectory(layout.meta())) {
            return out;
        }
        try (Stream<Path> models = Files.list(layout.meta())) {
            for (Path modelDir : models.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> docs = Files.list(modelDir)) {
                    for (Path doc : docs.filter(p -> p.getFileName().toString().endsWith(".json")
                            && !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                        String name = doc.getFileName().toString();
                        out.add(read(modelDir.getFileName().toString(), name.substring(0, name.length() - 5)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Moves a damaged document aside, just before its rebuilt version is written. A damaged
     * document that cannot be rebuilt stays where it is, so its blobs are never taken for orphans.
     */
    void quarantine(String model, String variant) throws IOException {
        Path file = layout.metaFile(model, variant);
        if (Files.exists(file)) {
            Path target = layout.quarantine().resolve("meta-" + model + "-" + variant + "-" + clock.millis() + ".json");
            Files.createDirectories(target.getParent());
            AtomicFiles.move(file, target);
            warnings.accept("moved the damaged metadata of " + model + ":" + variant + " to " + target);
        }
    }

    static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty (another variant of the model) or already gone: fine either way.
        }
    }
}
