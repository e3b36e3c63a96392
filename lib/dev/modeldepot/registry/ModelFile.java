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
 * @param md5     lowercase 32-hex MD5 when the only checksum a catalog gives is MD5 (GPT4All's older
 *                entries): checked after the download, a "weaker checksum"; null otherwise
 */
public record ModelFile(String path, URI url, List<URI> mirrors, long size, String sha256, String format, String role, String md5) {
    public ModelFile {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    public ModelFile(String path, URI url, List<URI> mirrors, long size, String sha256, String format, String role) {
        this(path, url, mirrors, size, sha256, format, role, null);
    }

    /** One of the roles the registry knows (weights, mmproj, tokenizer, ...). */
    public static boolean knownRole(String role) {
        return RegistryValidator.ROLES.contains(role);
    }

    /** Only an MD5 vouches for the bytes: accidental damage is caught, a deliberate swap may not be. */
    public boolean weakerChecksum() {
        return sha256 == null && md5 != null;
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
