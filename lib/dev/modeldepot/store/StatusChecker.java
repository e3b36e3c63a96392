package dev.modeldepot.store;

import dev.modeldepot.core.Hashing;
import dev.modeldepot.core.Stamp;
import dev.modeldepot.download.PartialProgress;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.VariantStatus.FileStatus;
import dev.modeldepot.store.VariantStatus.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Works out a variant's state from the blobs on disk. An unchanged blob (same size, mtime and
 * inode as its stamp) is trusted without hashing; a changed one, or every one with deep, is
 * hashed again. Returns fresh stamps so the caller can record them. The readable path of every
 * sound blob is checked too ({@link ReadablePaths}): attributes only, a copy hashed only when deep.
 */
final class StatusChecker {
    private final StoreLayout layout;
    private final Clock clock;

    StatusChecker(StoreLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    /** {@code newStamps}: expected sha256 to the stamp of a blob this check hashed again (a corrupt one included). */
    record Result(VariantStatus status, Map<String, Stamp> newStamps) {}

    Result check(VariantRef ref, VariantMeta meta, Map<String, Stamp> knownStamps, boolean deep) throws IOException {
        return check(ref, meta, knownStamps, deep, false);
    }

    /**
     * With {@code stampsOnly}, nothing is hashed: a blob of the right size whose stamp no longer
     * matches is reported unverified (for HTTP handlers and screen threads, which must answer in
     * milliseconds; hashing belongs to verify jobs on a worker).
     */
    Result check(VariantRef ref, VariantMeta meta, Map<String, Stamp> knownStamps, boolean deep, boolean stampsOnly) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        Map<String, Stamp> newStamps = new java.util.HashMap<>();
        Instant oldest = null;
        for (ModelFile f : ref.variant().files()) {
            FileStatus fs;
            Path blob = layout.blobFor(ref, f);
            FileMeta recorded = meta == null ? null : meta.file(f.path()).orElse(null);
            if (Files.isRegularFile(blob)) {
                long size = Files.size(blob);
                Stamp stamp = f.sha256() != null ? knownStamps.get(f.sha256()) : recorded == null ? null : recorded.stamp();
                if (size != f.size()) {
                    fs = new FileStatus(f.path(), State.CORRUPT, f.size(), 0, "wrong size: " + size + " bytes, expected " + f.size());
                } else if (f.sha256() == null) {
                    fs = new FileStatus(f.path(), State.UNVERIFIED, f.size(), size, "the registry gives no sha256");
                } else if (!deep && stamp != null && stamp.sha256() != null && stamp.stillMatches(blob)) {
                    // An unchanged blob: its stamp says what a full pass found, good or corrupt.
                    fs = f.sha256().equals(stamp.sha256()) ? new FileStatus(f.path(), State.READY, f.size(), size, null)
                            : new FileStatus(f.path(), State.CORRUPT, f.size(), 0, "sha256 mismatch: found " + stamp.sha256()
                            + " (full check at " + stamp.verifiedAt() + ", unchanged since)");
                } else if (stampsOnly) {
                    fs = new FileStatus(f.path(), State.UNVERIFIED, f.size(), size,
                            "changed since its last full check; not hashed here (run check-models or verify-model-integrity)");
                } else {
                    String actual = Hashing.sha256(blob);
                    Stamp seen = Stamp.of(blob, actual, clock.instant());
                    newStamps.put(f.sha256(), seen);
                    if (actual.equals(f.sha256())) {
                        stamp = seen;
                        fs = new FileStatus(f.path(), State.READY, f.size(), size, null);
                    } else {
                        fs = new FileStatus(f.path(), State.CORRUPT, f.size(), 0, "sha256 mismatch: found " + actual);
                    }
                }
                if (fs.state() == State.READY || fs.state() == State.UNVERIFIED) {
                    // A sound blob is not enough: apps open the readable path, which must be that blob.
                    ReadablePaths.Finding link = ReadablePaths.inspect(layout, blob, layout.readablePath(ref, f), recorded, f.sha256(), deep && !stampsOnly);
                    if (!link.ok()) {
                        fs = new FileStatus(f.path(), State.DAMAGED_LINK, f.size(), size, link.damage()
                                + "; model-store path " + ref.key() + " (or check-models --download) links it again");
                    }
                }
                if (fs.state() == State.READY && stamp != null && stamp.verifiedAt() != null) {
                    oldest = oldest == null || stamp.verifiedAt().isBefore(oldest) ? stamp.verifiedAt() : oldest;
                }
            } else if (recorded != null && recorded.sha256() != null && f.sha256() != null && !recorded.sha256().equals(f.sha256())
                    && Files.isRegularFile(layout.blob(recorded.sha256()))) {
                fs = new FileStatus(f.path(), State.OUTDATED, f.size(), 0, "the registry's sha256 changed since it was stored");
            } else {
                long partial = Math.min(f.size(), partialBytes(layout.partialDir(ref, f)));
                fs = new FileStatus(f.path(), partial > 0 ? State.PARTIAL : State.MISSING, f.size(), partial, null);
            }
            files.add(fs);
        }
        State state = aggregate(files);
        long size = ref.variant().totalSize();
        long present = files.stream().mapToLong(FileStatus::present).sum();
        long toDownload = files.stream().filter(fs -> fs.state() != State.READY && fs.state() != State.UNVERIFIED && fs.state() != State.DAMAGED_LINK)
                .mapToLong(fs -> fs.size() - fs.present()).sum();
        VariantStatus status = new VariantStatus(ref.key(), ref.model().id(), ref.variant().id(), state, size, present, toDownload, files, oldest);
        return new Result(status, newStamps);
    }

    private static State aggregate(List<FileStatus> files) {
        if (files.stream().anyMatch(f -> f.state() == State.CORRUPT)) {
            return State.CORRUPT;
        }
        if (files.stream().anyMatch(f -> f.state() == State.OUTDATED)) {
            return State.OUTDATED;
        }
        if (files.stream().allMatch(f -> f.state() == State.READY || f.state() == State.UNVERIFIED || f.state() == State.DAMAGED_LINK)) {
            return files.stream().anyMatch(f -> f.state() == State.DAMAGED_LINK) ? State.DAMAGED_LINK
                    : files.stream().anyMatch(f -> f.state() == State.UNVERIFIED) ? State.UNVERIFIED : State.READY;
        }
        return files.stream().anyMatch(f -> f.present() > 0) ? State.PARTIAL : State.MISSING;
    }

    /** Bytes a partial download really holds: the engine's record of completed ranges, not the sparse file's length. */
    static long partialBytes(Path dir) {
        return PartialProgress.of(dir).bytes();
    }
}
