package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads and writes the per-variant metadata documents. Writes are atomic (temp file, fsync,
 * rename), so a crash leaves the old document or the new one. A document that still fails to
 * parse (disk damage, a hand edit) is reported; the store rebuilds it from the blobs and the
 * registry, moving the damaged one to quarantine/. It is never fatal.
 *
 * <p>Parsed documents are cached against what the file system says of each file (inode, size,
 * mtime): every write is a new file renamed into place, so any change by any process gives a new
 * inode, and a status call re-parses only what changed instead of every document.
 */
final class MetaStore {
    /** A document as found: {@code meta} is null when it is absent or was damaged. */
    record Loaded(String model, String variant, VariantMeta meta, boolean damaged) {}

    /** What a cached document was parsed from: the file's identity, size and mtime. */
    private record Seen(Object fileKey, long size, long mtimeNanos) {
        static Seen of(BasicFileAttributes a) {
            return new Seen(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        }
    }

    /** Parsed documents by file, shared by every view of one store in a process. */
    static final class Cache {
        private final ConcurrentHashMap<Path, Map.Entry<Seen, Loaded>> docs = new ConcurrentHashMap<>();
        private final AtomicLong parses = new AtomicLong();

        /** How many times a document was read and parsed (for tests: cached reads do not count). */
        long parses() {
            return parses.get();
        }
    }

    private final StoreLayout layout;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final Cache cache;

    MetaStore(StoreLayout layout, Clock clock, Consumer<String> warnings, Cache cache) {
        this.layout = layout;
        this.clock = clock;
        this.warnings = warnings;
        this.cache = cache;
    }

    Cache cache() {
        return cache;
    }

    Loaded read(String model, String variant) {
        Path file = layout.metaFile(model, variant);
        Seen seen;
        try {
            seen = Seen.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            cache.docs.remove(file);
            return new Loaded(model, variant, null, false);
        } catch (IOException e) {
            seen = null;
        }
        Map.Entry<Seen, Loaded> hit = cache.docs.get(file);
        if (seen != null && hit != null && hit.getKey().equals(seen) && !hit.getValue().damaged()) {
            return hit.getValue();
        }
        Loaded loaded = parse(file, model, variant);
        if (seen != null) {
            cache.docs.put(file, Map.entry(seen, loaded));
        }
        return loaded;
    }

    private Loaded parse(Path file, String model, String variant) {
        cache.parses.incrementAndGet();
        try {
            byte[] bytes = Files.readAllBytes(file);
            VariantMeta meta = Json.MAPPER.readValue(bytes, VariantMeta.class);
            if (meta == null || meta.model() == null || meta.variant() == null || meta.schema() != VariantMeta.SCHEMA) {
                throw new IOException("not a metadata document of schema " + VariantMeta.SCHEMA);
            }
            if (!meta.model().equals(model) || !meta.variant().equals(variant)) {
                // A document is only believed at its own path: a copy at meta/zzz/v.json describing m:v
                // (apps removed, an old lastUsed) would otherwise make prune take a pinned m:v. It is
                // handled like a damaged document: never a variant, and orphaned blobs are kept while it stays.
                warnings.accept("ignored " + layout.root().relativize(file) + ": it describes " + Printable.of(meta.key())
                        + ", not " + model + ":" + variant + " (a copied or forged metadata document; it pins and describes nothing; delete it)");
                return new Loaded(model, variant, null, true);
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
