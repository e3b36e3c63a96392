package dev.modeldepot.verify;

import dev.modeldepot.util.AtomicFiles;
import dev.modeldepot.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** What to do with a corrupt file: move it into the store's quarantine with a note, or delete it. */
public final class CorruptFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path quarantine;
    private final Clock clock;

    public CorruptFiles(Path storeRoot, Clock clock) {
        this.quarantine = storeRoot.resolve("quarantine");
        this.clock = clock;
    }

    /**
     * Moves the file to quarantine/&lt;time&gt;-&lt;name&gt; and writes &lt;that name&gt;.why.json beside it.
     * The note is written first, so a crash in between leaves an explained empty slot, never an
     * unexplained file.
     *
     * @return where the file went
     */
    public Path quarantine(Path file, FileReport why) throws IOException {
        Files.createDirectories(quarantine);
        String base = STAMP.format(clock.instant()) + "-" + file.getFileName();
        Path target = quarantine.resolve(base);
        for (int n = 2; Files.exists(target) || Files.exists(note(target)); n++) {
            target = quarantine.resolve(base + "." + n);
        }
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("originalPath", file.toAbsolutePath().normalize().toString());
        note.put("quarantinedAt", clock.instant().toString());
        note.put("verdict", why.verdict());
        note.put("detail", why.detail());
        note.put("expected", why.expected());
        note.put("actual", why.actual());
        note.put("format", why.format());
        AtomicFiles.write(note(target), Json.pretty(note).getBytes(StandardCharsets.UTF_8));
        Files.move(file, target);
        return target;
    }

    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    public static Path note(Path quarantined) {
        return quarantined.resolveSibling(quarantined.getFileName() + ".why.json");
    }
}
