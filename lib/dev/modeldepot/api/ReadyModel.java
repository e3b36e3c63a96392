package dev.modeldepot.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model variant whose every file is in the store and verified: where to read it from.
 *
 * @param dir   the variant's readable folder (its files under their registry paths)
 * @param files each file, in registry order
 */
public record ReadyModel(String key, Path dir, List<File> files, StoreChoice store) {
    /**
     * @param path   the file's path in the registry ("unet/model.safetensors")
     * @param file   where to read it
     * @param format the registry's format word (gguf, onnx, safetensors, json, ...)
     * @param role   the registry's role (weights, mmproj, config, ...), may be null
     */
    public record File(String path, Path file, long size, String sha256, String format, String role) {}

    public ReadyModel {
        files = List.copyOf(files);
    }

    /** The file with this registry path. */
    public Optional<File> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** The first file of a format ("onnx", "gguf"): what an app loads. */
    public Optional<File> firstOfFormat(String format) {
        return files.stream().filter(f -> format.equalsIgnoreCase(f.format())).findFirst();
    }
}
