package dev.modeldepot.store;

import dev.modeldepot.core.Hashing;
import dev.modeldepot.core.Stamp;
import dev.modeldepot.registry.Model;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.VariantRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds metadata documents: a fresh one for a new variant, the file list matched to the
 * registry, and a damaged document rebuilt from the blobs (each one hashed: nothing is trusted).
 */
final class MetaRebuilder {
    private final ModelStore store;

    MetaRebuilder(ModelStore store) {
        this.store = store;
    }

    static VariantMeta freshMeta(VariantRef ref, Clock clock) {
        Model m = ref.model();
        ModelFile mmproj = ref.variant().files().stream().filter(f -> "mmproj".equals(f.role())).findFirst().orElse(null);
        ModelFile weights = ref.variant().files().stream().filter(f -> "weights".equals(f.role())).findFirst().orElse(null);
        VariantMeta.Mmproj rel = mmproj == null ? null : new VariantMeta.Mmproj(weights == null ? null : weights.path(), mmproj.path());
        return new VariantMeta(VariantMeta.SCHEMA, m.id(), ref.variant().id(), m.name(), null, m.license(), m.homepage(),
                VariantMeta.INCOMPLETE, List.of(), rel, null, clock.instant(), List.of(), null);
    }

    /** The document's file list made to match the registry: kept entries stay, the rest are placeholders. */
    static VariantMeta withRegistryFiles(VariantMeta meta, VariantRef ref) {
        List<FileMeta> files = new ArrayList<>();
        for (ModelFile f : ref.variant().files()) {
            FileMeta old = meta.file(f.path()).orElse(null);
            boolean same = old != null && java.util.Objects.equals(old.sha256(), f.sha256()) && old.size() == f.size();
            files.add(same ? old : new FileMeta(f.path(), f.url() == null ? null : dev.modeldepot.core.Redact.url(f.url()), f.size(),
                    f.sha256(), null, null, f.effectiveFormat(), f.role(), f.sha256() == null, null, null));
        }
        var source = ref.variant().source();
        return meta.withFiles(files, meta.state()).withSource(source == null ? null : source.pinnedUri());
    }

    Optional<VariantMeta> rebuildLocked(VariantRef ref) {
        try {
            List<FileMeta> files = new ArrayList<>();
            for (ModelFile f : ref.variant().files()) {
                Path blob = store.layout().blobFor(ref, f);
                if (!Files.isRegularFile(blob) || Files.size(blob) != f.size()
                        || (f.sha256() != null && !f.sha256().equals(Hashing.sha256(blob)))) {
                    continue;
                }
                // The readable path is recorded only when it really is the blob (a copy is hashed, like the blob).
                Path readable = store.layout().readablePath(ref, f);
                LinkKind kind = ReadablePaths.inspect(store.layout(), blob, readable, null, f.sha256(), true).kind();
                Stamp copyStamp = kind == LinkKind.COPY ? Stamp.of(readable, f.sha256(), store.clock().instant()) : null;
                files.add(new FileMeta(f.path(), f.url() == null ? null : dev.modeldepot.core.Redact.url(f.url()), f.size(), f.sha256(),
                        null, null, f.effectiveFormat(), f.role(), f.sha256() == null, kind == null ? null : kind.word(),
                        Stamp.of(blob, f.sha256(), store.clock().instant()), copyStamp));
            }
            String state = files.size() == ref.variant().files().size() ? VariantMeta.COMPLETE : VariantMeta.INCOMPLETE;
            VariantMeta meta = withRegistryFiles(freshMeta(ref, store.clock()).withFiles(files, state), ref);
            store.metas().quarantine(ref.model().id(), ref.variant().id());
            store.metas().write(meta);
            store.warn("rebuilt the metadata of " + ref.key() + " from its blobs (" + files.size() + " of " + ref.variant().files().size()
                    + " files present; the list of apps using it was lost)");
            return Optional.of(meta);
        } catch (IOException e) {
            store.warn("could not rebuild the metadata of " + ref.key() + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
