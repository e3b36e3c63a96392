package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Hashing;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.codec.binary.Hex;

/**
 * Adopts files already on disk (a USB copy, a bundle, a manual download) after checking them
 * against the registry by sha256. The source is copied, never moved or linked: the user's file
 * stays theirs, and the copy is hashed again on the way in.
 */
public final class Importer {
    /** What an import did: variants touched (with files still missing) and files skipped. */
    public record Report(Map<String, List<String>> variants, List<String> skipped) {}

    private record Local(Path path, long size, String sha256) {}

    private final ModelStore store;

    Importer(ModelStore store) {
        this.store = store;
    }

    Report importPath(Path source, VariantRef target, Registry registry, String app) throws Exception {
        if (!Files.exists(source)) {
            throw DepotException.badInput("no such file or folder: " + source);
        }
        boolean single = Files.isRegularFile(source);
        List<Local> locals = new ArrayList<>();
        for (Path p : filesOf(source)) {
            locals.add(new Local(p, Files.size(p), Hashing.sha256(p)));
        }
        // variant key -> (registry path -> local file)
        Map<VariantRef, Map<String, Local>> matches = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        List<VariantRef> candidates = target != null ? List.of(target) : allVariants(registry);
        for (Local local : locals) {
            boolean matched = false;
            for (VariantRef ref : candidates) {
                for (ModelFile f : ref.variant().files()) {
                    if (f.sha256() != null ? f.sha256().equals(local.sha256()) && f.size() == local.size()
                            : target != null && sameName(f, local) && f.size() == local.size()) {
                        matches.computeIfAbsent(ref, r -> new HashMap<>()).put(f.path(), local);
                        matched = true;
                    }
                }
            }
            if (!matched) {
                String why = target == null ? null : mismatch(target, local);
                if (why != null) {
                    throw DepotException.integrity(why);
                }
                String reason = local.path() + " matches no file " + (target == null ? "in the registry" : "of " + target.key())
                        + " (sha256 " + local.sha256() + ", " + local.size() + " bytes)";
                if (single) {
                    throw DepotException.failed(reason);
                }
                skipped.add(reason);
            }
        }
        if (matches.isEmpty()) {
            throw DepotException.failed("nothing in " + source + " matches " + (target == null ? "the registry" : target.key()));
        }
        Map<String, List<String>> variants = new LinkedHashMap<>();
        for (var e : matches.entrySet()) {
            Map<String, Local> byPath = e.getValue();
            FileFetcher fromDisk = (request, listener, cancel) -> copyIn(request, byPath.get(pathOf(e.getKey(), request)));
            Installer.Outcome outcome = new Installer(store).installAvailable(e.getKey(), fromDisk, DownloadListener.NONE, null, app);
            variants.put(e.getKey().key(), outcome.unavailable());
        }
        return new Report(variants, skipped);
    }

    /** With --model: a local file named like a registry file but with other bytes is refused with the reason. */
    private static String mismatch(VariantRef target, Local local) {
        for (ModelFile f : target.variant().files()) {
            if (!sameName(f, local)) {
                continue;
            }
            if (f.size() != local.size()) {
                return local.path() + " is not " + target.key() + "/" + f.path() + ": " + local.size() + " bytes, expected "
                        + f.size() + (local.size() < f.size() ? " (a truncated copy?)" : "");
            }
            return local.path() + " is not " + target.key() + "/" + f.path() + ": sha256 " + local.sha256() + ", expected " + f.sha256();
        }
        return null;
    }

    private static boolean sameName(ModelFile f, Local local) {
        return Path.of(f.path()).getFileName().toString().equals(local.path().getFileName().toString());
    }

    private static String pathOf(VariantRef ref, DownloadRequest request) {
        String prefix = ref.key() + "/";
        return request.label().startsWith(prefix) ? request.label().substring(prefix.length()) : request.label();
    }

    /** Copies a local file to the engine's contract: a temp in partialDir, hashed on the way, renamed when it matches. */
    private static DownloadResult copyIn(DownloadRequest request, Local local) throws IOException {
        if (local == null) {
            throw new FileFetcher.Unavailable(request.label());
        }
        Files.createDirectories(request.partialDir());
        Path tmp = Files.createTempFile(request.partialDir(), "import-", ".part");
        try {
            MessageDigest digest = Hashing.newDigest();
            try (InputStream in = Files.newInputStream(local.path());
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING), digest)) {
                in.transferTo(out);
            }
            String actual = Hex.encodeHexString(digest.digest());
            long size = Files.size(tmp);
            if (size != request.expectedSize() || (request.sha256() != null && !request.sha256().equals(actual))) {
                throw DepotException.integrity(local.path() + " changed while it was being imported; nothing was stored");
            }
            AtomicFiles.move(tmp, request.target());
            return new DownloadResult(request.target(), size, actual, null, null, 0);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<Path> filesOf(Path source) throws IOException {
        if (Files.isRegularFile(source)) {
            return List.of(source);
        }
        try (Stream<Path> s = Files.walk(source)) {
            // Files.isRegularFile follows symlinks, so a Hugging Face snapshot folder imports too.
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static List<VariantRef> allVariants(Registry registry) {
        List<VariantRef> out = new ArrayList<>();
        for (Model m : registry.models()) {
            for (Variant v : m.variants()) {
                out.add(new VariantRef(m, v));
            }
        }
        return out;
    }
}
