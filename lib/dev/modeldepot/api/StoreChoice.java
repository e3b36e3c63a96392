package dev.modeldepot.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which store an app uses, and why: the shared store when it exists and is writable, else the
 * app's own folder (seed 001's rule, chosen once when the {@link ModelDepot} is built).
 *
 * @param kind   SHARED (one copy for every app on the machine) or APP_LOCAL (this app's fallback)
 * @param root   the store's folder
 * @param reason one sentence for the app's log
 */
public record StoreChoice(Kind kind, Path root, String reason) {
    public enum Kind { SHARED, APP_LOCAL }

    /**
     * @param shared       the shared store's folder
     * @param preferShared use the shared store when it is there and writable
     * @param fallback     the app-local folder; null means "always the shared store" (created when absent)
     */
    static StoreChoice choose(Path shared, boolean preferShared, Path fallback) {
        if (fallback == null) {
            return new StoreChoice(Kind.SHARED, shared, "the shared store");
        }
        if (!preferShared) {
            return new StoreChoice(Kind.APP_LOCAL, fallback, "the app's own store (preferShared is off)");
        }
        String problem = problemWith(shared);
        return problem == null ? new StoreChoice(Kind.SHARED, shared, "the shared store")
                : new StoreChoice(Kind.APP_LOCAL, fallback, "the app's own store: the shared store at " + shared + " " + problem);
    }

    /**
     * Null when the folder exists and a file can be created in it. A real probe, not
     * Files.isWritable: permission bits do not tell (root, ACLs, read-only mounts).
     */
    static String problemWith(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "does not exist";
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-probe-", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return "is not writable";
        }
    }

    public boolean shared() {
        return kind == Kind.SHARED;
    }
}
