package dev.modeldepot.bundle;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Version;
import dev.modeldepot.registry.Profile;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.VariantStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Writes ready models from the store into a bundle: a folder, or a POSIX tar (optionally split).
 * Every blob is hashed while it is copied, so a store blob that rotted on disk is never shipped.
 * The bundle is written under a temporary name and appears at its final name only when complete.
 */
public final class BundleExporter {
    /** What was written: the files (the folder, or the tar or its parts), blobs and bytes. */
    public record Report(List<Path> files, int blobs, long bytes) {}

    private final ModelStore store;
    private final Executor hasher;

    public BundleExporter(ModelStore store, Executor hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    public Report export(List<VariantRef> refs, List<Profile> profiles, Path to, long splitBytes,
                         BundleProgress progress, BooleanSupplier cancelled) throws IOException {
        for (VariantRef ref : refs) {
            VariantStatus s = store.status(ref, false);
            if (s.state() != VariantStatus.State.READY) {
                throw DepotException.failed(ref.key() + " is " + s.label() + " in the store; export takes ready models only (run check-models --download "
                        + ref.key() + " first)");
            }
        }
        BundleManifest manifest = BundleManifest.of(refs, profiles, store.clock().instant().toString(), "model-depot " + Version.NUMBER);
        boolean tar = to.getFileName().toString().endsWith(".tar");
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) || Files.exists(to.resolveSibling(to.getFileName() + ".part1"), LinkOption.NOFOLLOW_LINKS)) {
            throw DepotException.badInput(to + " already exists; choose another --to or remove it");
        }
        if (splitBytes > 0 && !tar) {
            throw DepotException.badInput("--split needs a .tar target (a folder bundle has one file per blob)");
        }
        Path parent = to.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "." + to.getFileName() + ".export-");
        boolean done = false;
        try {
            Counter counter = new Counter(manifest.totalBytes(), progress);
            List<Path> written = tar
                    ? writeTar(manifest, work.resolve(to.getFileName()), splitBytes, counter, cancelled)
                    : List.of(writeFolder(manifest, work.resolve("bundle"), counter, cancelled));
            List<Path> placed = new ArrayList<>();
            for (Path w : written) {
                Path dest = tar ? parent.resolve(w.getFileName()) : to;
                Files.move(w, dest);
                placed.add(dest);
            }
            done = true;
            return new Report(placed, manifest.blobs().size(), manifest.totalBytes());
        } finally {
            dev.modeldepot.core.AtomicFiles.deleteTree(work);
            if (!done) {
                progress.update(null, 0, 0);
            }
        }
    }

    private List<Path> writeTar(BundleManifest manifest, Path file, long splitBytes, Counter counter, BooleanSupplier cancelled) throws IOException {
        long mtime = store.clock().instant().getEpochSecond();
        try (TarOutput out = new TarOutput(file, splitBytes)) {
            for (String[] small : new String[][] {{BundleManifest.FILE, manifestText(manifest)}, {BundleManifest.SUMS, manifest.sums()}}) {
                byte[] bytes = small[1].getBytes(StandardCharsets.UTF_8);
                out.write(Tar.fileHeader(small[0], bytes.length, mtime));
                out.write(bytes);
                out.pad(bytes.length);
            }
            for (BundleManifest.Blob b : manifest.blobs()) {
                out.write(Tar.fileHeader(b.name(), b.size(), mtime));
                copyBlob(b, out, counter, cancelled);
                out.pad(b.size());
            }
            out.write(Tar.end());
            out.close();
            return out.files();
        }
    }

    private Path writeFolder(BundleManifest manifest, Path dir, Counter counter, BooleanSupplier cancelled) throws IOException {
        Files.createDirectories(dir);
        for (BundleManifest.Blob b : manifest.blobs()) {
            Path file = dir.resolve(b.name());
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copyBlob(b, HashingCopy.Sink.of(ch), counter, cancelled);
            }
        }
        Files.writeString(dir.resolve(BundleManifest.SUMS), manifest.sums());
        Files.writeString(dir.resolve(BundleManifest.FILE), manifestText(manifest));
        return dir;
    }

    private void copyBlob(BundleManifest.Blob b, HashingCopy.Sink sink, Counter counter, BooleanSupplier cancelled) throws IOException {
        Path blob = store.layout().blob(b.sha256());
        try (Parts source = Parts.of(blob)) {
            if (source.length() != b.size()) {
                throw corrupt(b);
            }
            long before = counter.done;
            String actual = HashingCopy.copy(source, 0, b.size(), sink, hasher, n -> counter.at(b.name(), before + n), cancelled);
            if (!actual.equals(b.sha256())) {
                throw corrupt(b);
            }
        }
    }

    private static DepotException corrupt(BundleManifest.Blob b) {
        return DepotException.integrity("the store's copy of " + b.name() + " does not match its sha256; nothing was exported "
                + "(run verify-model-integrity --repair on that model first)");
    }

    private static String manifestText(BundleManifest manifest) {
        return dev.modeldepot.core.Json.pretty(manifest) + "\n";
    }

    /** Bytes done across the whole bundle, for one progress line. */
    private static final class Counter {
        private final long total;
        private final BundleProgress progress;
        long done;

        Counter(long total, BundleProgress progress) {
            this.total = total;
            this.progress = progress;
        }

        void at(String name, long bytes) {
            done = bytes;
            progress.update(name, bytes, total);
        }
    }
}
