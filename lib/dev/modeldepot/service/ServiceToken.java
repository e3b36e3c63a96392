package dev.modeldepot.service;

import dev.modeldepot.core.AtomicFiles;
import dev.modeldepot.core.DepotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The bearer token of the admin API. It lives only in its owner-only file and in memory: it is
 * never printed, logged or put in the discovery file; people see its fingerprint instead.
 * {@link #toString()} shows the fingerprint, so it cannot leak through a log line by accident.
 */
public final class ServiceToken {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{32,256}");

    private final byte[] token;
    private final Path file;
    private final boolean created;
    private final boolean tightened;
    private boolean folderTightened;

    private ServiceToken(String token, Path file, boolean created, boolean tightened) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.file = file;
        this.created = created;
        this.tightened = tightened;
    }

    /**
     * As {@link #loadOrCreate(Path)}, and narrows the file's folder to owner-only ({@code rwx------})
     * when others may enter or list it: for the store's own service folder, which the service owns.
     * A folder the user chose for {@code --token-file} keeps its permissions (it may be their home).
     */
    public static ServiceToken loadOrCreateInOwnFolder(Path file) {
        ServiceToken t = loadOrCreate(file);
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)
                    && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
                t.folderTightened = true;
            }
        } catch (IOException e) {
            throw DepotException.failed("cannot make the token's folder " + dir + " owner-only: " + e.getMessage());
        }
        return t;
    }

    /** True when {@link #loadOrCreateInOwnFolder} found the folder open to others and narrowed it. */
    public boolean folderTightened() {
        return folderTightened;
    }

    /**
     * Reads the token file, or creates it with a new random token. A file others can read is
     * narrowed to owner-only (and {@link #tightened()} says so).
     */
    public static ServiceToken loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (!SHAPE.matcher(text).matches()) {
                    throw DepotException.badInput("the token file " + file + " does not hold a token (32 or more letters, digits, '-' or '_'); "
                            + "delete it to have a new one generated");
                }
                return new ServiceToken(text, file, false, narrow(file));
            }
            String token = generate();
            write(file, token);
            return new ServiceToken(token, file, true, false);
        } catch (IOException e) {
            throw DepotException.failed("cannot read or create the token file " + file + ": " + e.getMessage());
        }
    }

    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Created owner-only from the first byte (never a moment with default permissions), then renamed in place. */
    private static void write(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(Files.exists(dir) ? dir : existingAncestor(dir)).supportsFileAttributeView(PosixFileAttributeView.class);
        if (!Files.exists(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            AtomicFiles.move(tmp, file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("a temporary file is in the way: " + tmp, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path existingAncestor(Path p) {
        Path a = p;
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        return a == null ? Path.of(".").toAbsolutePath() : a;
    }

    private static boolean narrow(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return false;
        }
        if (Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            return false;
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return true;
    }

    /** Constant-time check of the token a client presented. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** "sha256:" and the first 8 hex digits of the token's SHA-256: enough to tell tokens apart, useless to an attacker. */
    public String fingerprint() {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    public Path file() {
        return file;
    }

    public boolean created() {
        return created;
    }

    public boolean tightened() {
        return tightened;
    }

    @Override
    public String toString() {
        return "ServiceToken[" + fingerprint() + " in " + file + "]";
    }
}
