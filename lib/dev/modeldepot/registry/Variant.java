package dev.modeldepot.registry;

import java.util.List;
import java.util.Optional;

/**
 * One logical model (weights plus projector, tokenizer, VAE, ...): complete only when every file is.
 * A variant with a {@link VariantSource} has no files until the source is resolved (see
 * {@link #resolved()}); resolving fills them and pins the source.
 */
public record Variant(String id, boolean isDefault, String description, Hardware hardware, List<ModelFile> files, VariantSource source) {
    public Variant {
        files = List.copyOf(files);
        hardware = hardware == null ? Hardware.UNKNOWN : hardware;
    }

    public Variant(String id, boolean isDefault, String description, Hardware hardware, List<ModelFile> files) {
        this(id, isDefault, description, hardware, files, null);
    }

    /** True when the files are known: a plain variant, or a source already resolved. */
    public boolean resolved() {
        return source == null || source.pinned() != null;
    }

    /** This variant with the files its source resolved to, and the source pinned. */
    public Variant withResolution(VariantSource pinnedSource, List<ModelFile> resolvedFiles) {
        return new Variant(id, isDefault, description, hardware, resolvedFiles, pinnedSource);
    }

    public long totalSize() {
        return files.stream().mapToLong(ModelFile::size).sum();
    }

    public Optional<ModelFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    public boolean fullyVerifiable() {
        return files.stream().allMatch(ModelFile::verifiable);
    }
}
