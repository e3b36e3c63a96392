package dev.modeldepot.sources;

import java.util.Locale;

/** A file's role guessed from its name, for sources that do not say (the Hub lists only paths). */
final class Roles {
    private Roles() {}

    static String guess(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.contains("mmproj") || name.contains("projector")) {
            return "mmproj";
        }
        if (name.startsWith("tokenizer") || name.equals("vocab.json") || name.equals("merges.txt") || name.endsWith(".model")) {
            return "tokenizer";
        }
        if (name.endsWith(".gguf") || name.endsWith(".safetensors") || name.endsWith(".onnx") || name.endsWith(".bin")
                || name.endsWith(".pt") || name.endsWith(".ckpt")) {
            return "weights";
        }
        if (name.endsWith(".json")) {
            return "config";
        }
        return null;
    }
}
