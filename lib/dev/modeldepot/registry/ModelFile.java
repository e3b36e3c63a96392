package dev.modeldepot.registry;

import java.net.URI;
import java.util.List;

/**
 * One file of a model variant.
 *
 * @param path    relative path inside the variant's folder (validated: no "..", not absolute)
 * @param url     where to fetch it (http or https)
 * @param mirrors other URLs serving the same bytes, tried when the primary fails
 * @param size    exact size in bytes
 * @param sha256  lowercase 64-hex SHA-256, or null when unknown ("unverifiable")
 * @param format  gguf, safetensors, onnx, pt, bin, json, ...; null to go by extension
 * @param role    weights, mmproj, tokenizer, config, vae, text-encoder, ...; may be null
 */
public record ModelFile(String path, URI url, List<URI> mirrors, long size, String sha256, String format, String role) {
    public ModelFile {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    public boolean verifiable() {
        return sha256 != null;
    }

    /** The format to check: the declared one, else guessed from the extension. */
    public String effectiveFormat() {
        if (format != null) {
            return format;
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "unknown" : path.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
