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

    public static Path note(Path quarantined) {
        return quarantined.resolveSibling(quarantined.getFileName() + ".why.json");
    }
}
