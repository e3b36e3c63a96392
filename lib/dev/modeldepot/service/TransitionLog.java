package dev.modeldepot.service;

import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One log line per state change of a queue entry, for the service's stdout (a nohup log or the
 * journal). Errors are already redacted by the queue; nothing else that could hold a secret is
 * printed.
 */
final class TransitionLog implements Consumer<QueueSnapshot> {
    private final PrintStream out;
    private final Map<String, ItemState> last = new HashMap<>();

    TransitionLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void accept(QueueSnapshot snap) {
        Map<String, ItemState> seen = new HashMap<>();
        for (ItemSnapshot i : snap.items()) {
            seen.put(i.key(), i.state());
            if (last.get(i.key()) != i.state()) {
                String line = snap.takenAt() + " " + i.key() + " " + i.state().name().toLowerCase(Locale.ROOT);
                if (i.state() == ItemState.FAILED && i.lastError() != null) {
                    line += ": " + i.lastError();
                }
                out.println(line);
            }
        }
        for (String key : last.keySet()) {
            if (!seen.containsKey(key)) {
                out.println(snap.takenAt() + " " + key + " removed from the queue");
            }
        }
        out.flush();
        last.clear();
        last.putAll(seen);
    }
}
