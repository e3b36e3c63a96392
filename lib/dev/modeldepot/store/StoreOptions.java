package dev.modeldepot.store;

import java.time.Duration;
import java.util.Map;

/**
 * How a store is opened: the link strategy, the Hugging Face cache to reuse (null for none), how
 * long bookkeeping waits for a lock, and how long an install waits for another process that is
 * downloading the same blob <em>without making progress</em> (while it makes progress, the wait
 * goes on; when it dies, this one takes over).
 */
public record StoreOptions(Linker linker, HfCache hfCache, Duration lockWait, Duration fetchWait) {
    public static StoreOptions defaults(Map<String, String> env) {
        return new StoreOptions(Linker.system(), HfCache.fromEnv(env, System.getProperty("user.home")),
                Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    public StoreOptions withLinker(Linker l) {
        return new StoreOptions(l, hfCache, lockWait, fetchWait);
    }

    public StoreOptions withHfCache(HfCache h) {
        return new StoreOptions(linker, h, lockWait, fetchWait);
    }

    public StoreOptions withLockWait(Duration wait) {
        return new StoreOptions(linker, hfCache, wait, fetchWait);
    }
}
