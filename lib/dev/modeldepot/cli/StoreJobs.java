package dev.modeldepot.cli;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.Stamp;
import dev.modeldepot.registry.ModelFile;
import dev.modeldepot.registry.Registry;
import dev.modeldepot.registry.VariantRef;
import dev.modeldepot.store.CorruptFiles;
import dev.modeldepot.store.ModelStore;
import dev.modeldepot.store.StoreStamps;
import dev.modeldepot.store.VariantMeta;
import dev.modeldepot.verify.FileReport;
import dev.modeldepot.verify.Stamps;
import dev.modeldepot.verify.Verdict;
import dev.modeldepot.verify.VerifyJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Store files to verify: each file at its blob (the readable path is a link to it), checked with
 * the registry's format, stamped in the store's metadata; and what to do with the corrupt ones.
 */
final class StoreJobs {
    private final ModelStore store;
    private final StoreStamps stamps;
    private final List<VerifyJob> work = new ArrayList<>();
    private final Map<String, VariantRef> refs = new HashMap<>();
    private final Map<String, List<VerifyJob>> toRepair = new LinkedHashMap<>();

    private StoreJobs(ModelStore store) {
        this.store = store;
        this.stamps = new StoreStamps(store);
    }

    /** The variants named, a profile's, or (--all) every variant the store holds a document for. */
    static StoreJobs of(ModelStore store, Registry registry, List<String> models, String profile, boolean all) {
        List<VariantRef> refs;
        if (all) {
            refs = new ArrayList<>();
            for (VariantMeta m : store.list(registry)) {
                registry.model(m.model()).flatMap(model -> model.variant(m.variant()).map(v -> new VariantRef(model, v))).ifPresent(refs::add);
            }
        } else if (profile != null) {
            refs = registry.resolveProfile(profile);
        } else {
            refs = registry.resolveAll(models);
        }
        StoreJobs jobs = new StoreJobs(store);
        for (VariantRef ref : refs) {
            for (ModelFile f : ref.variant().files()) {
                String key = jobs.stamps.key(ref, f.path());
                jobs.refs.put(key, ref);
                // The blob has no extension: the registry's format (else the path's extension) picks the check.
                jobs.work.add(new VerifyJob(ref.key(), f.path(), store.layout().blobFor(ref, f), key, f.sha256(), f.size(), f.effectiveFormat()));
            }
        }
        return jobs;
    }

    List<VerifyJob> work() {
        return work;
    }

    Stamps stamps() {
        return stamps;
    }

    /** Quarantines or deletes a corrupt file's blob through the store; returns what was done. */
    String discard(VerifyJob job, FileReport entry, boolean quarantine) throws IOException {
        VariantRef ref = refs.get(job.stampKey());
        try {
            Stamp seen = entry.actual().sha256() == null ? null : Stamp.of(job.path(), entry.actual().sha256(), store.clock().instant());
            return store.discardCorrupt(ref, job.name(), seen, CorruptFiles.note(entry), quarantine)
                    .map(p -> "quarantined to " + p + " (links to it removed)").orElse("deleted (and the links to it)");
        } catch (DepotException e) {
            return "left in place: " + e.getMessage();
        } catch (java.nio.file.NoSuchFileException e) {
            return "already gone from the store";
        }
    }

    /**
     * A sound blob is not enough: the path apps open must be that blob. Otherwise the entry becomes
     * a damaged link (attributes only; with {@code deep} a copy is hashed too).
     */
    FileReport checkReadable(VerifyJob job, FileReport entry, boolean deep) {
        VariantRef ref = refs.get(job.stampKey());
        ModelFile file = ref.variant().file(job.name()).orElse(null);
        if (file == null) {
            return entry;
        }
        return store.readableDamage(ref, file, deep).map(why -> entry.withVerdict(Verdict.DAMAGED_LINK,
                why + "; model-store path " + ref.key() + " (or --repair) links it again")).orElse(entry);
    }

    void wantRepair(VerifyJob job) {
        toRepair.computeIfAbsent(job.model(), k -> new ArrayList<>()).add(job);
    }

    /** Fetches every variant with a corrupt or missing file again, through the store's install. */
    void repair(Repairs repairs) throws IOException {
        for (List<VerifyJob> jobs : toRepair.values()) {
            repairs.install(store, refs.get(jobs.get(0).stampKey()), jobs);
        }
    }

}
