package dev.modeldepot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.core.DepotException;
import dev.modeldepot.core.ExitCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLocksTest {
    @TempDir
    Path tmp;

    @Test
    void aHeldLockMakesOthersWaitABoundedTimeThenSayTheStoreIsBusy() throws Exception {
        StoreLocks locks = new StoreLocks(new StoreLayout(tmp), Duration.ofMillis(200));
        try (var held = locks.acquire(StoreLocks.variant("alpha", "q4"), "the lock on alpha:q4")) {
            assertTrue(locks.isHeld(StoreLocks.variant("alpha", "q4")));
            assertTrue(locks.tryAcquire(StoreLocks.variant("alpha", "q4")).isEmpty());
            DepotException e = CompletableFuture.supplyAsync(() -> assertThrows(DepotException.class,
                    () -> locks.acquire(StoreLocks.variant("alpha", "q4"), "the lock on alpha:q4"))).get();
            assertEquals(ExitCode.FAILED, e.exitCode());
            assertTrue(e.getMessage().contains("the store is busy") && e.getMessage().contains("200 ms"), e.getMessage());
            try (var other = locks.acquire(StoreLocks.variant("alpha", "q8"), "the lock on alpha:q8")) {
                assertTrue(locks.isHeld(StoreLocks.variant("alpha", "q8")), "locks are per variant");
            }
        }
        assertFalse(locks.isHeld(StoreLocks.variant("alpha", "q4")), "released on close");
        try (var again = locks.acquire(StoreLocks.variant("alpha", "q4"), "the lock on alpha:q4")) {
            assertTrue(locks.isHeld(StoreLocks.variant("alpha", "q4")));
        }
    }
}
