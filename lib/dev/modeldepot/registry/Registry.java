package dev.modeldepot.registry;

import dev.modeldepot.core.DepotException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A validated model registry. Immutable; safe to share between threads. */
public record Registry(int schemaVersion, List<Model> models, List<Profile> profiles, String source) {
    public Registry {
        models = List.copyOf(models);
        profiles = List.copyOf(profiles);
    }

    public Optional<Model> model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public Optional<Profile> profile(String name) {
        return profiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Resolves "model" (its default variant) or "model:variant"; unknown names are bad input. */
    public VariantRef resolve(String spec) {
        if (VariantSource.isReference(spec)) {
            return adHoc(VariantSource.parse(spec));
        }
        String[] parts = spec.split(":", 2);
        Model model = model(parts[0]).orElseThrow(() -> DepotException.badInput(
                "unknown model '" + parts[0] + "' (known: " + models.stream().map(Model::id).collect(Collectors.joining(", ")) + ")"));
        if (parts.length == 1 || parts[1].isEmpty()) {
            return new VariantRef(model, model.defaultVariant());
        }
        Variant variant = model.variant(parts[1]).orElseThrow(() -> DepotException.badInput(
                "model '" + model.id() + "' has no variant '" + parts[1] + "' (variants: "
                        + model.variants().stream().map(Variant::id).collect(Collectors.joining(", ")) + ")"));
        return new VariantRef(model, variant);
    }

    /** A model named by an hf:// or oci:// reference instead of a registry entry. */
    public static VariantRef adHoc(VariantSource source) {
        Variant variant = new Variant(source.variantId(), true, null, null, List.of(), source);
        Model model = new Model(source.modelId(), source.repo(), null, null, null, null, List.of("source:" + source.kind()), List.of(variant));
        return new VariantRef(model, variant);
    }

    /** The variants of a profile, in order, without duplicates. */
    public List<VariantRef> resolveProfile(String name) {
        Profile profile = profile(name).orElseThrow(() -> DepotException.badInput(
                "unknown profile '" + name + "' (profiles: " + profiles.stream().map(Profile::name).collect(Collectors.joining(", ")) + ")"));
        return resolveAll(profile.models());
    }

    /** Resolves several specs, keeping the first occurrence of each variant. */
    public List<VariantRef> resolveAll(List<String> specs) {
        LinkedHashSet<VariantRef> refs = new LinkedHashSet<>();
        for (String spec : specs) {
            refs.add(resolve(spec));
        }
        return new ArrayList<>(refs);
    }

    /** Every model's default variant: "the whole registry". */
    public List<VariantRef> defaults() {
        return models.stream().map(m -> new VariantRef(m, m.defaultVariant())).toList();
    }

    public long profileSize(String name) {
        return resolveProfile(name).stream().mapToLong(VariantRef::totalSize).sum();
    }
}
