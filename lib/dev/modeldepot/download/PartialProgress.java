package dev.modeldepot.download;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a partial-download folder really holds, read from the engine's own record of completed
 * ranges (its {@code .part.json} state), never from the partial file's length: the engine
 * preallocates that file sparsely at full size, so a partial at 21 % is 21 %, not 100 %.
 * Another process can read it while the download runs (the state is saved four times a second),
 * which is how a process waiting for that download shows its progress.
 *
 * @param bytes     bytes kept: completed ranges, plus the plain length of files without a state
 * @param total     the remote size the state records, -1 when no state says
 * @param changedAt when any file of the folder last changed (a live download keeps moving it)
 */
public record PartialProgress(long bytes, long total, Instant changedAt) {
    public static final PartialProgress NONE = new PartialProgress(0, -1, Instant.EPOCH);

    /** The partial downloads in {@code dir} (a store's {@code partial/<sha256>/}); NONE when there are none. */
    public static PartialProgress of(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return NONE;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            return NONE;
        }
        long bytes = 0;
        long total = -1;
        Instant changed = Instant.EPOCH;
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                Instant m = Files.getLastModifiedTime(f).toInstant();
                changed = m.isAfter(changed) ? m : changed;
            } catch (IOException e) {
                continue; // gone meanwhile (renamed into place, or discarded)
            }
            if (isState(name)) {
                continue;
            }
            PartialState state = PartialState.load(f.resolveSibling(name + ".json"));
            if (state != null) {
                bytes += Math.min(state.completedBytes(), state.size() >= 0 ? state.size() : Long.MAX_VALUE);
                total = Math.max(total, state.size());
            } else if (!(name.startsWith(".") && name.endsWith(".part"))) {
                // A plain partial written front to back (an import, another fetcher): its length is what it holds.
                bytes += sizeOf(f);
            }
            // An engine partial without a state is a single stream that starts over anyway: it keeps nothing.
        }
        return new PartialProgress(bytes, total, changed);
    }

    private static boolean isState(String name) {
        return name.endsWith(".json") || name.endsWith(".tmp") || name.endsWith(".lock") || name.endsWith(".state");
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
