package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store's quarantine/ folder: corrupt files are moved here, never used, kept for inspection.
 * Every file gets a {@code <name>.why.json} note (where it was, when, why), written before the
 * move, so a crash in between leaves an explained empty slot, never an unexplained file. The one
 * place that quarantines: the installer's corrupt blobs and verify-model-integrity's verdicts.
 */
public final class Quarantine {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Clock clock;

    public Quarantine(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** The quarantine of the store at {@code storeRoot}. */
    public static Quarantine of(Path storeRoot, Clock clock) {
        return new Quarantine(new StoreLayout(storeRoot).quarantine(), clock);
    }

    /**
     * Moves {@code file} to quarantine/&lt;UTC time&gt;-&lt;name&gt; with its note.
     *
     * @param why what the note says besides the original path and the time (verdict, expected, actual...)
     * @return where the file went
     */
    public Path put(Path file, String name, Map<String, Object> why) throws IOException {
        Files.createDirectories(dir);
        String base = STAMP.format(clock.instant()) + "-" + name;
        Path target = dir.resolve(base);
        for (int n = 2; Files.exists(target) || Files.exists(note(target)); n++) {
            target = dir.resolve(base + "." + n);
        }
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("originalPath", file.toAbsolutePath().normalize().toString());
        note.put("quarantinedAt", clock.instant().toString());
        note.putAll(why);
        AtomicFiles.write(note(target), Json.pretty(note).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.move(file, target);
        return target;
    }

    /**
     * One quarantined file: its name in quarantine/, bytes on disk (with its note), when it was
     * quarantined (from the note, else the file's mtime), what it was and why (null when unknown).
     */
    public record Entry(String name, long bytes, java.time.Instant quarantinedAt, String file, String reason) {}

    /** Everything in quarantine, oldest first. */
    public java.util.List<Entry> entries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        java.util.List<Entry> out = new java.util.ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().endsWith(".why.json")).sorted().toList()) {
                Path note = note(p);
                java.time.Instant at = Files.getLastModifiedTime(p).toInstant();
                String file = null;
                String reason = null;
                long bytes = BlobFiles.sizeOf(p);
                if (Files.isRegularFile(note)) {
                    bytes += BlobFiles.sizeOf(note);
                    try {
                        var n = Json.MAPPER.readTree(note.toFile());
                        at = n.hasNonNull("quarantinedAt") ? java.time.Instant.parse(n.get("quarantinedAt").asText()) : at;
                        file = n.hasNonNull("file") ? n.get("file").asText() : n.hasNonNull("originalPath") ? n.get("originalPath").asText() : null;
                        reason = n.hasNonNull("reason") ? n.get("reason").asText() : n.hasNonNull("verdict") ? n.get("verdict").asText() : null;
                    } catch (IOException | RuntimeException e) {
                        reason = "(its note cannot be read)";
                    }
                }
                out.add(new Entry(p.getFileName().toString(), bytes, at, file, reason));
            }
        }
        out.sort(java.util.Comparator.comparing(Entry::quarantinedAt));
        return out;
    }

    /** Removes (or with {@code dryRun} only lists) the entries quarantined longer ago than {@code olderThan} (null: all). */
    public java.util.List<Entry> clear(java.time.Duration olderThan, boolean dryRun) throws IOException {
        java.time.Instant cutoff = olderThan == null ? null : clock.instant().minus(olderThan);
        java.util.List<Entry> gone = new java.util.ArrayList<>();
        for (Entry e : entries()) {
            if (cutoff != null && !e.quarantinedAt().isBefore(cutoff)) {
                continue;
            }
            if (!dryRun) {
                BlobFiles.delete(dir.resolve(e.name()));
                BlobFiles.delete(note(dir.resolve(e.name())));
            }
            gone.add(e);
        }
        return gone;
    }

    /** Bytes quarantine holds on disk (files and notes). */
    public long bytes() throws IOException {
        return entries().stream().mapToLong(Entry::bytes).sum();
    }

    public static Path note(Path quarantined) {
        return quarantined.resolveSibling(quarantined.getFileName() + ".why.json");
    }
}
