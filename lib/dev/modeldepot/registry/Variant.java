package dev.modeldepot.registry;

import java.util.List;
import java.util.Optional;

/** One logical model (weights plus projector, tokenizer, VAE, ...): complete only when every file is. */
public record Variant(String id, boolean isDefault, String description, Hardware hardware, List<ModelFile> files) {
    public Variant {
        files = List.copyOf(files);
        hardware = hardware == null ? Hardware.UNKNOWN : hardware;
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
