package dev.modeldepot.store;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Hashing;
import dev.modeldepot.core.Redact;
import dev.modeldepot.core.Stamp;
import dev.modeldepot.download.Cancellation;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import dev.modeldepot.download.DownloadRequest;
import dev.modeldepot.download.DownloadResult;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Brings every file of a variant into the store: a blob already here (re-hashed only if its stamp
 * no longer matches), else one from the Hugging Face cache (verified first), else a download.
 * Then the readable path is linked and the metadata written.
 *
 * <p>Prune safety: the metadata is written first, listing every sha256 the variant needs, while
 * the variant lock is held; each blob is fetched under its own lock. Prune lists blobs before it
 * reads metadata and try-locks each blob before deleting it, so it never takes one that an
 * install is fetching or about to link.
 */
final class Installer {
    private final ModelStore store;

    Installer(ModelStore store) {
        this.store = store;
    }

    /** What an install achieved: the variant folder, and files the fetcher had no source for. */
    record Outcome(Path dir, java.util.List<String> unavailable) {}

    Path install(VariantRef ref, FileFetcher fetcher, DownloadListener listener, Cancellation cancel, String app) throws Exception {
        Outcome outcome = installAvailable(ref, fetcher, listener, cancel, app);
        if (!outcome.unavailable().isEmpty()) {
            throw DepotException.failed(ref.key() + " is incomplete: " + String.join(", ", outcome.unavailable()) + " could not be fetched");
        }
        return outcome.dir();
    }

    Outcome installAvailable(VariantRef ref, FileFetcher fetcher, DownloadListener listener, Cancellation cancel, String app) throws Exception {
        StoreLayout layout = store.layout();
        layout.create();
        String key = ref.key();
        // Another process installing this variant holds it for the whole install: wait while it makes progress.
        try (var variantLock = new HolderWait(store, store.fetchWait()).variant(ref, listener, cancel)) {
            VariantMeta meta = store.loadOrRebuildLocked(ref).orElseGet(() -> store.freshMeta(ref));
            meta = store.withRegistryFiles(meta, ref).withRegistry(store.registryLabel()).withApp(app, true).withState(VariantMeta.INSTALLING, meta.downloadedAt());
            store.metas().write(meta);
            boolean done = false;
            try {
                Map<String, Stamp> known = store.knownStamps();
                java.util.List<String> unavailable = new java.util.ArrayList<>();
                if (listener != null) {
                    // Every file up front, so a listener counting files (the queue) knows the total from the start.
                    for (ModelFile f : ref.variant().files()) {
                        listener.onEvent(new DownloadEvent.Queued(ref.key() + "/" + f.path(), f.size()));
                    }
                }
                for (ModelFile f : ref.variant().files()) {
                    if (cancel != null && cancel.isCancelled()) {
                        throw DepotException.interrupted("cancelled; the partial downloads are kept for next time");
                    }
                    try {
                        FileMeta fm = ensure(ref, f, meta.file(f.path()).orElse(null), known.get(f.sha256()), fetcher, listener, cancel);
                        meta = meta.withFile(fm);
                        store.metas().write(meta);
                    } catch (FileFetcher.Unavailable e) {
                        unavailable.add(f.path());
                    }
                }
                var now = store.clock().instant();
                String state = unavailable.isEmpty() ? VariantMeta.COMPLETE : VariantMeta.INCOMPLETE;
                meta = meta.withState(state, meta.downloadedAt() == null && unavailable.isEmpty() ? now : meta.downloadedAt()).withLastUsed(now);
                store.metas().write(meta);
                done = true;
                return new Outcome(layout.variantDir(ref.model().id(), ref.variant().id()), unavailable);
            } finally {
                if (!done) {
                    store.metas().write(meta.withState(VariantMeta.INCOMPLETE, meta.downloadedAt()));
                }
            }
        }
    }

    private FileMeta ensure(VariantRef ref, ModelFile f, FileMeta recorded, Stamp known, FileFetcher fetcher,
                            DownloadListener listener, Cancellation cancel) throws Exception {
        StoreLayout layout = store.layout();
        Path blob = layout.blobFor(ref, f);
        String label = ref.key() + "/" + f.path();
        if (f.sha256() == null) {
            // Unverifiable files belong to this variant alone; the variant lock covers them.
            Stamp stamp = recorded != null && recorded.stamp() != null && recorded.stamp().stillMatches(blob) ? recorded.stamp() : null;
            DownloadResult result = null;
            if (stamp == null && Files.isRegularFile(blob) && Files.size(blob) == f.size() && !md5Matches(f, blob)) {
                Files.delete(blob); // an earlier copy with other bytes: fetch it again
            }
            if (stamp == null && !(Files.isRegularFile(blob) && Files.size(blob) == f.size())) {
                result = fetch(fetcher, ref, f, blob, label, listener, cancel);
                if (!md5Matches(f, blob)) {
                    Files.delete(blob);
                    throw DepotException.integrity(label + " does not match its md5 " + f.md5() + " (the only, weaker, checksum the registry gives); the download was discarded");
                }
            }
            Linked link = linkReadable(ref, f, blob, stamp != null ? recorded : null, result == null);
            if (result == null) {
                alreadyThere(listener, label, blob, f);
            }
            return fileMeta(f, recorded, result, link, Stamp.of(blob, null, store.clock().instant()));
        }
        var watched = new HolderWait.Watched(label, layout.partialDir(ref, f), f.size());
        try (var blobLock = new HolderWait(store, store.fetchWait()).blob(f.sha256(), watched, listener, cancel)) {
            Stamp stamp = null;
            DownloadResult result = null;
            boolean present = false;
            if (Files.isRegularFile(blob)) {
                stamp = trusted(blob, f, recorded, known);
                present = stamp != null;
                if (stamp == null) {
                    store.quarantineBlob(blob, label, "its bytes are not " + f.sha256() + " (a stamp or a fresh hash says so)");
                }
            }
            if (stamp == null && store.hfCache() != null && adoptFromHf(f, blob, label, listener)) {
                stamp = Stamp.of(blob, f.sha256(), store.clock().instant());
            }
            if (stamp == null) {
                result = fetch(fetcher, ref, f, blob, label, listener, cancel);
                BlobFiles.makeReadOnly(blob);
                stamp = Stamp.of(blob, f.sha256(), store.clock().instant());
            }
            // A copy made from an earlier blob never stands for a new one (it may hold the bad bytes).
            boolean sameBlob = recorded != null && stamp != null && stamp.equals(recorded.stamp());
            Linked link = linkReadable(ref, f, blob, sameBlob ? recorded : null, present);
            if (present) {
                alreadyThere(listener, label, blob, f);
            }
            return fileMeta(f, recorded, result, link, stamp);
        }
    }

    /** How the readable path points at its blob now, and the copy's stamp when it is a copy. */
    private record Linked(LinkKind kind, Stamp copyStamp) {}

    /**
     * Leaves the readable path alone when it already is the blob (a hard link, a symlink into the
     * store, or an unchanged copy), else replaces it by a fresh link: a file put in its place or a
     * symlink planted to lead elsewhere is renamed over, never written through.
     *
     * @param copyRecord the file's record when its blob is the one a recorded copy was made from, else null
     * @param blobWasThere true when the blob was already stored: a damaged readable path is then worth a warning
     */
    private Linked linkReadable(VariantRef ref, ModelFile f, Path blob, FileMeta copyRecord, boolean blobWasThere) throws IOException {
        Path readable = store.layout().readablePath(ref, f);
        ReadablePaths.Finding now = ReadablePaths.inspect(store.layout(), blob, readable, copyRecord, f.sha256(), false);
        LinkKind kind = now.kind();
        if (!now.ok()) {
            boolean existed = Files.exists(readable, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            kind = store.linker().link(blob, readable);
            if (existed && blobWasThere) {
                store.warn("linked " + ref.key() + "/" + f.path() + " to its verified blob again: " + now.damage());
            }
        }
        Stamp copyStamp = kind == LinkKind.COPY ? Stamp.of(readable, f.sha256(), store.clock().instant()) : null;
        return new Linked(kind, copyStamp);
    }

    /** True when the file has no md5 to check, or its bytes have that md5. */
    private static boolean md5Matches(ModelFile f, Path blob) throws IOException {
        if (f.md5() == null) {
            return true;
        }
        java.security.MessageDigest md5;
        try {
            md5 = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (var in = Files.newInputStream(blob)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
        }
        return f.md5().equals(java.util.HexFormat.of().formatHex(md5.digest()));
    }

    /** A file already in the store is done without a transfer: say so, or a listener counting files never sees it finish. */
    private static void alreadyThere(DownloadListener listener, String label, Path blob, ModelFile f) {
        if (listener != null) {
            listener.onEvent(new DownloadEvent.Completed(label, blob, f.size()));
        }
    }

    /**
     * The blob's stamp if it still matches, else a fresh one after hashing; null when it is corrupt.
     * The newest stamp goes first: when it still matches but saw other bytes, it records a corrupt
     * verdict (verify-model-integrity's or check-models'), and an older good stamp must not win.
     */
    private Stamp trusted(Path blob, ModelFile f, FileMeta recorded, Stamp known) throws IOException {
        for (Stamp s : new Stamp[] {known, recorded == null ? null : recorded.stamp()}) {
            if (s != null && s.sha256() != null && s.stillMatches(blob)) {
                return f.sha256().equals(s.sha256()) ? s : null;
            }
        }
        return f.sha256().equals(Hashing.sha256(blob)) ? Stamp.of(blob, f.sha256(), store.clock().instant()) : null;
    }

    private DownloadResult fetch(FileFetcher fetcher, VariantRef ref, ModelFile f, Path blob, String label,
                                 DownloadListener listener, Cancellation cancel) throws Exception {
        Path partialDir = store.layout().partialDir(ref, f);
        Files.createDirectories(partialDir);
        Files.createDirectories(blob.getParent());
        DownloadRequest request = new DownloadRequest(label, f.url(), f.mirrors(), f.size(), f.sha256(), blob, partialDir);
        DownloadResult result = fetcher.fetch(request, listener == null ? DownloadListener.NONE : listener, cancel == null ? new Cancellation() : cancel);
        if (!Files.isRegularFile(blob) || Files.size(blob) != f.size()) {
            throw DepotException.failed("the download of " + label + " finished without a complete file at its place in the store");
        }
        MetaStore.deleteIfEmpty(partialDir);
        return result;
    }

    /**
     * Takes a file from the Hugging Face cache: an LFS blob named by the sha256, else the file at
     * the resolve URL's revision path (small git files are named by their SHA-1 there). Always a
     * copy, verified, then renamed in and made read-only: a hard link would share a writable inode
     * with their cache (a write through our readable path would corrupt it) and change its link
     * count; a symlink would leave their file writable through ours.
     */
    private boolean adoptFromHf(ModelFile f, Path blob, String label, DownloadListener listener) throws IOException {
        HfCache hf = store.hfCache();
        Path source = hf.findBlob(f.sha256()).or(() -> hf.findByUrl(f.url())).orElse(null);
        if (source == null || Files.size(source) != f.size()) {
            return false;
        }
        Path tmp = store.layout().partial().resolve(".hf-" + f.sha256() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectories(tmp.getParent());
        try {
            BlobFiles.copy(source, tmp, f.size());
            String actual = Hashing.sha256(tmp);
            if (!actual.equals(f.sha256()) || Files.size(tmp) != f.size()) {
                store.warn("the Hugging Face cache file " + source + " does not match its name or the registry's sha256; downloading " + label + " instead");
                return false;
            }
            Files.createDirectories(blob.getParent());
            AtomicFiles.move(tmp, blob);
            BlobFiles.makeReadOnly(blob);
            if (listener != null) {
                listener.onEvent(new DownloadEvent.Verified(label, f.sha256(), f.size()));
                listener.onEvent(new DownloadEvent.Completed(label, blob, f.size()));
            }
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileMeta fileMeta(ModelFile f, FileMeta recorded, DownloadResult result, Linked link, Stamp stamp) {
        String etag = result != null ? result.etag() : recorded != null ? recorded.etag() : null;
        String lastModified = result != null ? result.lastModified() : recorded != null ? recorded.lastModified() : null;
        String url = f.url() == null ? null : Redact.url(f.url());
        return new FileMeta(f.path(), url, f.size(), f.sha256(), etag, lastModified, f.effectiveFormat(), f.role(),
                f.sha256() == null, link.kind().word(), stamp, link.copyStamp());
    }
}
