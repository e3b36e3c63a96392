package dev.modeldepot.service;

import dev.modeldepot.registry.VariantRef;

/** What the service needs to know about the store: is a variant already there, here or in the HF cache. */
public interface StoreView {
    /** Every file of the variant is in the store at its size. */
    boolean inStore(VariantRef ref);

    /** Every file of the variant is a blob of the Hugging Face hub cache (found by its sha256). */
    boolean inHfCache(VariantRef ref);
}
