package dev.modeldepot.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread factory of the library. Every pool below cli makes its threads here: daemon
 * threads (a download or a scan must never keep an app's JVM alive after its main thread ends),
 * named "name-N" so a thread dump says whose they are.
 */
public final class Threads {
    private Threads() {}

    public static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
