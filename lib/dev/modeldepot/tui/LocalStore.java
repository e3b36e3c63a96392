package dev.modeldepot.tui;

import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.util.AtomicFiles;
import dev.modeldepot.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The dashboard's stand-in for the shared model store, so the demo runs end to end on its own:
 * verified files at models/&lt;id&gt;/&lt;variant&gt;/&lt;path&gt;, partials and quarantined
 * corrupt downloads under .partial/, and one small JSON record per variant under .dashboard/.
 * At merge the lead can back {@link LocalBackend} with ModelStore instead (see notes/note-dashboard.md).
 */
public final class LocalStore {
    /** What the record keeps per verified file. */
    public record FileRecord(long size, String sha256, Instant verifiedAt) {}

    /** Per variant: verified files, files found corrupt (path to one sentence), apps using it. */
    public record VariantRecord(Map<String, FileRecord> files, Map<String, String> corrupt, List<String> apps) {
        public VariantRecord {
            files = files == null ? Map.of() : Map.copyOf(files);
            corrupt = corrupt == null ? Map.of() : Map.copyOf(corrupt);
            apps = apps == null ? List.of() : List.copyOf(apps);
        }

        static VariantRecord empty() {
            return new VariantRecord(Map.of(), Map.of(), List.of());
        }
    }

    public enum Status { MISSING, PARTIAL, READY, CORRUPT }

    private final Path root;
    private final Clock clock;

    public LocalStore(Path root, Clock clock) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
        Files.createDirectories(this.root);
    }

    public Path root() {
        return root;
    }

    public Path finalPath(VariantRef ref, ModelFile file) {
        return root.resolve("models").resolve(ref.model().id()).resolve(ref.variant().id()).resolve(file.path());
    }

    public Path partialPath(VariantRef ref, ModelFile file) {
        return root.resolve(".partial").resolve(ref.model().id()).resolve(ref.variant().id()).resolve(file.path() + ".part");
    }

    public Path quarantinePath(VariantRef ref, ModelFile file) {
        return root.resolve(".partial").resolve(ref.model().id()).resolve(ref.variant().id()).resolve(file.path() + ".corrupt");
    }

    private Path recordPath(VariantRef ref) {
        return root.resolve(".dashboard").resolve(ref.model().id()).resolve(ref.variant().id() + ".json");
    }

    public synchronized VariantRecord record(VariantRef ref) {
        Path p = recordPath(ref);
        if (!Files.isRegularFile(p)) {
            return VariantRecord.empty();
        }
        try {
            return Json.MAPPER.readValue(p.toFile(), VariantRecord.class);
        } catch (IOException e) {
            // An unreadable record only costs a re-verification, never the files.
            return VariantRecord.empty();
        }
    }

    private void write(VariantRef ref, VariantRecord record) throws IOException {
        AtomicFiles.write(recordPath(ref), Json.MAPPER.writeValueAsBytes(record));
    }

    /** A file passed its SHA-256 check and sits at its final path. */
    public synchronized void recordVerified(VariantRef ref, ModelFile file, String app) throws IOException {
        VariantRecord r = record(ref);
        Map<String, FileRecord> files = new LinkedHashMap<>(r.files());
        files.put(file.path(), new FileRecord(file.size(), file.sha256(), clock.instant()));
        Map<String, String> corrupt = new LinkedHashMap<>(r.corrupt());
        corrupt.remove(file.path());
        List<String> apps = new ArrayList<>(r.apps());
        if (app != null && !apps.contains(app)) {
            apps.add(app);
        }
        write(ref, new VariantRecord(files, corrupt, apps));
    }

    public synchronized void recordCorrupt(VariantRef ref, ModelFile file, String why) throws IOException {
        VariantRecord r = record(ref);
        Map<String, FileRecord> files = new LinkedHashMap<>(r.files());
        files.remove(file.path());
        Map<String, String> corrupt = new LinkedHashMap<>(r.corrupt());
        corrupt.put(file.path(), why);
        write(ref, new VariantRecord(files, corrupt, r.apps()));
    }

    /** Forgets corruption marks and quarantined bytes so a retry starts clean. */
    public synchronized void clearCorrupt(VariantRef ref) throws IOException {
        VariantRecord r = record(ref);
        for (ModelFile f : ref.variant().files()) {
            Files.deleteIfExists(quarantinePath(ref, f));
        }
        write(ref, new VariantRecord(r.files(), Map.of(), r.apps()));
    }

    public synchronized Status status(VariantRef ref) {
        VariantRecord r = record(ref);
        if (!r.corrupt().isEmpty()) {
            return Status.CORRUPT;
        }
        boolean all = true;
        boolean any = false;
        for (ModelFile f : ref.variant().files()) {
            boolean ok = r.files().containsKey(f.path()) && sizeOf(finalPath(ref, f)) == f.size();
            all &= ok;
            any |= ok || sizeOf(partialPath(ref, f)) > 0;
        }
        return all ? Status.READY : any ? Status.PARTIAL : Status.MISSING;
    }

    /** When the least recently verified file was checked, or null when any file is unverified. */
    public Instant verifiedAt(VariantRef ref) {
        VariantRecord r = record(ref);
        return ref.variant().files().stream()
                .map(f -> r.files().get(f.path()))
                .map(fr -> fr == null ? null : fr.verifiedAt())
                .reduce((a, b) -> a == null || b == null ? null : a.isBefore(b) ? a : b)
                .orElse(null);
    }

    /** Bytes the variant occupies: final files, partials and quarantined corrupt files. */
    public long usage(VariantRef ref) {
        long total = 0;
        for (ModelFile f : ref.variant().files()) {
            total += Math.max(0, sizeOf(finalPath(ref, f))) + Math.max(0, sizeOf(partialPath(ref, f)))
                    + Math.max(0, sizeOf(quarantinePath(ref, f)));
        }
        return total;
    }

    public long freeSpace() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Re-hashes every final file; records each as verified or corrupt. Returns the corrupt count. */
    public int verify(VariantRef ref, String app) throws IOException {
        int bad = 0;
        for (ModelFile f : ref.variant().files()) {
            Path p = finalPath(ref, f);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            String actual = sha256(p);
            if (f.sha256() == null || f.sha256().equals(actual)) {
                recordVerified(ref, f, app);
            } else {
                recordCorrupt(ref, f, f.path() + " does not match its SHA-256 (expected " + f.sha256().substring(0, 12)
                        + "…, got " + actual.substring(0, 12) + "…)");
                bad++;
            }
        }
        return bad;
    }

    /** Removes the variant's files, partials and record. */
    public synchronized void delete(VariantRef ref) throws IOException {
        for (Path dir : List.of(root.resolve("models").resolve(ref.model().id()).resolve(ref.variant().id()),
                root.resolve(".partial").resolve(ref.model().id()).resolve(ref.variant().id()))) {
            deleteTree(dir);
        }
        Files.deleteIfExists(recordPath(ref));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static long sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
