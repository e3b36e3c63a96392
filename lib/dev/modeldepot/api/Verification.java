package dev.modeldepot.api;

import dev.modeldepot.verify.FormatCheck;
import java.util.List;

/**
 * A verify's result: the variant's status (every file hashed again when deep) and the structural
 * check of each file that is present (GGUF, safetensors, ONNX, zip, JSON headers walked).
 */
public record Verification(ModelStatus status, List<FileCheck> files) {
    /** One file's structural check; {@code structure} is null when the file is not present. */
    public record FileCheck(String path, FormatCheck structure) {}

    public Verification {
        files = List.copyOf(files);
    }

    /** Ready, and no file failed its structural check. */
    public boolean ok() {
        return status.ready() && files.stream().allMatch(f -> f.structure() == null || f.structure().ok());
    }
}
