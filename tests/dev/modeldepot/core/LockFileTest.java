package dev.modeldepot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one lock helper: held means held (this JVM too), waits are bounded, a removed lock file is locked afresh. */
class LockFileTest {
    @TempDir
    Path tmp;

    @Test
    void aHeldLockRefusesOthersUntilClosedAndAWaitIsBoundedAndTold() throws Exception {
        Path file = tmp.resolve("locks/a.lock");
        try (LockFile held = LockFile.tryLock(file).orElseThrow()) {
            assertTrue(LockFile.tryLock(file).isEmpty(), "another thread of this JVM counts as another owner");
            List<Long> told = new CopyOnWriteArrayList<>();
            Optional<LockFile> waited = LockFile.await(file, Duration.ofMillis(150), () -> false, told::add);
            assertTrue(waited.isEmpty(), "gave up after the bound");
            assertEquals(1, told.size(), "told at the first refusal, not at every poll: " + told);
            assertTrue(LockFile.await(file, Duration.ofSeconds(30), () -> true, w -> {}).isEmpty(), "a stop ends the wait at once");
        }
        try (LockFile again = LockFile.await(file, Duration.ofSeconds(5), () -> false, w -> {}).orElseThrow()) {
            assertEquals(file, again.path());
        }
    }

    @Test
    void aHolderRemovesTheFileAndTheNextOwnerLocksTheNewOne() throws Exception {
        Path file = tmp.resolve("b.lock");
        try (LockFile held = LockFile.tryLock(file).orElseThrow()) {
            held.remove();
            assertFalse(Files.exists(file));
        }
        try (LockFile next = LockFile.tryLock(file).orElseThrow()) {
            assertTrue(Files.exists(file), "the path names the file that is locked");
        }
    }
}
