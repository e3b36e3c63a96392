package dev.modeldepot.verify;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Stamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small JSON file of stamps (key -> {@link Stamp}), the memory of full passes that makes the
 * next check instant. It is a cache: an unreadable book is treated as empty (everything gets
 * re-hashed), never as an error. Saving re-reads the file and applies only this process's changes,
 * so two processes verifying different files do not erase each other's stamps.
 */
public final class StampBook implements Stamps {
    private static final TypeReference<TreeMap<String, Stamp>> TYPE = new TypeReference<>() {};

    private final Path file;
    private final Map<String, Stamp> stamps;
    private final Map<String, Stamp> changed = new HashMap<>();
    private final Set<String> removed = new HashSet<>();

    private StampBook(Path file, Map<String, Stamp> stamps) {
        this.file = file;
        this.stamps = stamps;
    }

    /** Opens the book at this path; a missing or unreadable file gives an empty book. */
    public static StampBook open(Path file) {
        return new StampBook(file, read(file));
    }

    /**
     * The book of ad-hoc files (--file, --sums), keyed by absolute path: kept in the store's
     * metadata area (meta/file-stamps.json) rather than beside the files, so verifying never
     * writes into user folders. Store files keep their stamps in their variant's metadata.
     */
    public static StampBook forAdHocFiles(Path storeRoot) {
        return open(storeRoot.resolve("meta").resolve("file-stamps.json"));
    }

    /** The key of an ad-hoc file: its absolute normalised path. */
    public static String keyOf(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    public Path file() {
        return file;
    }

    @Override
    public String where() {
        return file.toString();
    }

    /** The stamp for this key, only if the file still has the stamped size, mtime and file key. */
    @Override
    public synchronized Optional<Stamp> trusted(String key, Path path) {
        Stamp stamp = stamps.get(key);
        return stamp != null && stamp.stillMatches(path) ? Optional.of(stamp) : Optional.empty();
    }

    public synchronized Optional<Stamp> get(String key) {
        return Optional.ofNullable(stamps.get(key));
    }

    @Override
    public synchronized void put(String key, Stamp stamp) {
        stamps.put(key, stamp);
        changed.put(key, stamp);
        removed.remove(key);
    }

    @Override
    public synchronized void remove(String key) {
        if (stamps.remove(key) != null || changed.remove(key) != null) {
            removed.add(key);
        }
    }

    public synchronized int size() {
        return stamps.size();
    }

    /** Writes the book atomically, merged with what other processes saved meanwhile. */
    @Override
    public synchronized void save() throws IOException {
        if (changed.isEmpty() && removed.isEmpty()) {
            return;
        }
        TreeMap<String, Stamp> merged = read(file);
        merged.putAll(changed);
        removed.forEach(merged::remove);
        AtomicFiles.write(file, Json.pretty(merged).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stamps.clear();
        stamps.putAll(merged);
        changed.clear();
        removed.clear();
    }

    private static TreeMap<String, Stamp> read(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                TreeMap<String, Stamp> map = Json.MAPPER.readValue(file.toFile(), TYPE);
                if (map != null) {
                    map.values().removeIf(s -> s == null || s.sha256() == null);
                    return map;
                }
            }
        } catch (IOException e) {
            // A damaged stamp file only costs a re-hash: start from empty.
        }
        return new TreeMap<>();
    }
}
