package dev.modeldepot.registry;

/** Hardware hints for a variant; every field may be null when the registry does not say. */
public record Hardware(Double minRamGb, Double minVramGb, Boolean gpuRequired) {
    public static final Hardware UNKNOWN = new Hardware(null, null, null);
}
