package dev.modeldepot.store;

import dev.modeldepot.verify.FileReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** What to do with a corrupt ad-hoc file: move it into the store's quarantine with a note, or delete it. */
public final class CorruptFiles {
    private final Quarantine quarantine;

    public CorruptFiles(Path storeRoot, Clock clock) {
        this.quarantine = Quarantine.of(storeRoot, clock);
    }

    /** Moves the file to quarantine/&lt;time&gt;-&lt;name&gt; with &lt;that name&gt;.why.json beside it; returns where it went. */
    public Path quarantine(Path file, FileReport why) throws IOException {
        return quarantine.put(file, file.getFileName().toString(), note(why));
    }

    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** The why-note of a verdict: model and file, verdict, detail, expected and actual values, format check. */
    public static Map<String, Object> note(FileReport why) {
        Map<String, Object> note = new LinkedHashMap<>();
        if (why.id() != null) {
            note.put("id", why.id());
            note.put("variant", why.variant());
            note.put("file", why.file());
        }
        note.put("verdict", why.verdict());
        note.put("detail", why.detail());
        note.put("expected", why.expected());
        note.put("actual", why.actual());
        note.put("format", why.format());
        return note;
    }

    public static Path note(Path quarantined) {
        return Quarantine.note(quarantined);
    }
}
