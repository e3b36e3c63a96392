package dev.modeldepot.store;

/** How a readable path under models/ points at its blob. */
public enum LinkKind {
    HARDLINK, SYMLINK, COPY;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
