package dev.modeldepot.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The store's warnings, de-duplicated and bounded: a service asked for a status a thousand times
 * over one damaged document has one warning to tell, not a thousand.
 */
final class Warnings {
    static final int KEEP = 100;

    private final LinkedHashSet<String> messages = new LinkedHashSet<>();

    synchronized void add(String message) {
        messages.remove(message); // said again: it moves to the end, as the newest
        messages.add(message);
        if (messages.size() > KEEP) {
            Iterator<String> oldest = messages.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    synchronized List<String> list() {
        return List.copyOf(messages);
    }

    synchronized List<String> take() {
        List<String> out = new ArrayList<>(messages);
        messages.clear();
        return out;
    }
}
