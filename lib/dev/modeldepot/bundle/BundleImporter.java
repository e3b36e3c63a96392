package dev.modeldepot.bundle;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Variant;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.FileFetcher;
import dev.modeldepot.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Installs everything a bundle holds into the store, exactly as a download would (blobs, links,
 * metadata, stamps, the app recorded), with no network.
 *
 * <p>Two phases, so a damaged bundle changes nothing: first every blob the store lacks is copied
 * into the store's partial area and verified; only when all of them match does the store install
 * the variants, moving the verified copies into place. Verified copies survive an interruption,
 * so a second run resumes where the first stopped.
 */
public final class BundleImporter {
    /** What the import did. */
    public record Report(List<String> variants, int blobsCopied, int blobsPresent, long bytesCopied) {}

    private final ModelStore store;
    private final Executor hasher;

    public BundleImporter(ModelStore store, Executor hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    public Report importAll(Bundle bundle, String app, DownloadListener listener, Cancellation cancel) throws Exception {
        ModelStore target = store.forRegistry(bundle.registry());
        target.layout().create();
        List<VariantRef> refs = new ArrayList<>();
        for (Model m : bundle.registry().models()) {
            for (Variant v : m.variants()) {
                refs.add(new VariantRef(m, v));
            }
        }
        BundleSource source = new BundleSource(bundle, FileFetcher.NONE, hasher, target.clock());
        Set<String> seen = new HashSet<>();
        List<Path> stagedNow = new ArrayList<>();
        int present = 0;
        long copied = 0;
        try {
            for (VariantRef ref : refs) {
                for (ModelFile f : ref.variant().files()) {
                    if (!seen.add(f.sha256())) {
                        continue;
                    }
                    Path blob = target.layout().blob(f.sha256());
                    if (Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS) && Files.size(blob) == f.size()) {
                        present++;
                        continue;
                    }
                    Path partialDir = target.layout().partialDir(ref, f);
                    boolean already = Files.isRegularFile(partialDir.resolve(BundleSource.VERIFIED), LinkOption.NOFOLLOW_LINKS);
                    Path staged = source.stage(ref.key() + "/" + f.path(), f.sha256(), bundle.entry(f.sha256()), partialDir, listener, cancel);
                    if (!already) {
                        stagedNow.add(staged);
                        copied += f.size();
                    }
                }
            }
        } catch (DepotException e) {
            if (e.exitCode() == ExitCode.INTEGRITY) {
                // A damaged bundle leaves the store as it found it.
                for (Path p : stagedNow) {
                    Files.deleteIfExists(p);
                    deleteIfEmpty(p.getParent());
                }
            }
            throw e;
        }
        List<String> installed = new ArrayList<>();
        for (VariantRef ref : refs) {
            target.install(ref, source, listener, cancel, app);
            installed.add(ref.key());
        }
        return new Report(installed, stagedNow.size(), present, copied);
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmpty) {
            // Another file of the same content is being fetched there: leave it.
        }
    }
}
