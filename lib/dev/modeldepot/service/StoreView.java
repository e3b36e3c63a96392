package dev.modeldepot.service;

import dev.modeldepot.registry.VariantRef;

/** What the service needs to know about the store: is a variant already there, here or in the HF cache. */
public interface StoreView {
    /** Every file of the variant is in the store at its size. */
    boolean inStore(VariantRef ref);

    /** Every file of the variant is a blob of the Hugging Face hub cache (found by its sha256). */
    boolean inHfCache(VariantRef ref);

    /**
     * The store's own word for the variant ("ready", "partial", "damaged link", ...), so a client
     * sees why a variant is not in the store; null when unknown.
     */
    default String storeState(VariantRef ref) {
        return null;
    }
}
