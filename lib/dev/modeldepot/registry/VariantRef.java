package dev.modeldepot.registry;

/** A model together with one of its variants: the unit that is downloaded, stored and checked. */
public record VariantRef(Model model, Variant variant) {
    /** "model:variant", the key used in the store, the queue and the HTTP API. */
    public String key() {
        return model.id() + ":" + variant.id();
    }

    /** The same model with another form of this variant (e.g. its resolved one). */
    public VariantRef with(Variant other) {
        return new VariantRef(model, other);
    }

    public long totalSize() {
        return variant.totalSize();
    }
}
