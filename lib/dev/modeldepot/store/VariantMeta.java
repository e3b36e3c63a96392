package dev.modeldepot.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The metadata document of one variant (meta/&lt;id&gt;/&lt;variant&gt;.json), kept apart from the raw
 * files. {@code apps} are the apps that use (pin) it; a variant with no app is prunable.
 *
 * @param state    "installing" (files may still be arriving), "complete" or "incomplete"
 * @param registry the registry it was installed from, redacted
 * @param mmproj   the projector file and the weights it belongs to, for vision models; may be null
 * @param source   for a variant from a Hugging Face repo or an OCI registry, the reference pinned to the
 *                 commit or manifest digest it was installed from (hf://org/repo@commit); else null
 */
public record VariantMeta(int schema, String model, String variant, String name, String registry, String license,
                          String homepage, String state, List<FileMeta> files, Mmproj mmproj, Instant downloadedAt,
                          Instant lastUsed, List<String> apps, String source) {
    public static final int SCHEMA = 1;
    public static final String INSTALLING = "installing";
    public static final String COMPLETE = "complete";
    public static final String INCOMPLETE = "incomplete";

    public record Mmproj(String weights, String projector) {}

    public VariantMeta {
        files = files == null ? List.of() : List.copyOf(files);
        apps = apps == null ? List.of() : List.copyOf(new TreeSet<>(apps));
    }

    public String key() {
        return model + ":" + variant;
    }

    public Optional<FileMeta> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    public long size() {
        return files.stream().mapToLong(FileMeta::size).sum();
    }

    public boolean pinned() {
        return !apps.isEmpty();
    }

    public VariantMeta withFiles(List<FileMeta> newFiles, String newState) {
        return new VariantMeta(schema, model, variant, name, registry, license, homepage, newState, newFiles, mmproj, downloadedAt, lastUsed, apps, source);
    }

    public VariantMeta withFile(FileMeta file) {
        List<FileMeta> list = new ArrayList<>(files);
        list.removeIf(f -> f.path().equals(file.path()));
        list.add(file);
        return withFiles(list, state);
    }

    public VariantMeta withState(String newState, Instant downloaded) {
        return new VariantMeta(schema, model, variant, name, registry, license, homepage, newState, files, mmproj, downloaded, lastUsed, apps, source);
    }

    public VariantMeta withRegistry(String label) {
        return label == null ? this
                : new VariantMeta(schema, model, variant, name, label, license, homepage, state, files, mmproj, downloadedAt, lastUsed, apps, source);
    }

    public VariantMeta withLastUsed(Instant used) {
        return new VariantMeta(schema, model, variant, name, registry, license, homepage, state, files, mmproj, downloadedAt, used, apps, source);
    }

    public VariantMeta withSource(String pinned) {
        return new VariantMeta(schema, model, variant, name, registry, license, homepage, state, files, mmproj, downloadedAt, lastUsed, apps, pinned);
    }

    public VariantMeta withApp(String app, boolean add) {
        if (app == null) {
            return this;
        }
        TreeSet<String> set = new TreeSet<>(apps);
        if (add) {
            set.add(app);
        } else {
            set.remove(app);
        }
        return new VariantMeta(schema, model, variant, name, registry, license, homepage, state, files, mmproj, downloadedAt, lastUsed, List.copyOf(set), source);
    }
}
