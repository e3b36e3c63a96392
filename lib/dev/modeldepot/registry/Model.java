package dev.modeldepot.registry;

import java.util.List;
import java.util.Optional;

/** A model in the registry with its variants (fp16, q4_k_m, ...). */
public record Model(String id, String name, String version, String description, String license,
                    String homepage, List<String> tags, List<Variant> variants) {
    public Model {
        tags = tags == null ? List.of() : List.copyOf(tags);
        variants = List.copyOf(variants);
    }

    /** The variant marked default, else the first. */
    public Variant defaultVariant() {
        return variants.stream().filter(Variant::isDefault).findFirst().orElse(variants.get(0));
    }

    public Optional<Variant> variant(String id) {
        return variants.stream().filter(v -> v.id().equals(id)).findFirst();
    }
}
