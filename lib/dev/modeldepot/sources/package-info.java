/**
 * Sources: Hugging Face repositories and OCI registries resolved into plain registry files (url,
 * size, sha256), so the store, verification and de-duplication work on them unchanged.
 */
package dev.modeldepot.sources;
