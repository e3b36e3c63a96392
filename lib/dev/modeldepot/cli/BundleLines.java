package dev.modeldepot.cli;

import dev.modeldepot.core.Sizes;

/** One live progress line on a terminal for bundle export and import; nothing otherwise. */
final class BundleLines {
    private final Console console;
    private final boolean live;
    private long lastNanos;

    BundleLines(Console console, CommonOptions common) {
        this.console = console;
        this.live = console.isTty() && !common.json && !common.quiet;
    }

    synchronized void update(String name, long done, long total) {
        if (!live || name == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastNanos < 200_000_000L && done < total) {
            return;
        }
        lastNanos = now;
        int percent = total <= 0 ? 100 : (int) (done * 100 / total);
        console.err().print("\r\u001b[2K" + percent + "%  " + Sizes.human(done) + " of " + Sizes.human(total) + "  " + name);
        console.err().flush();
    }

    synchronized void finish() {
        if (live) {
            console.err().print("\r\u001b[2K");
            console.err().flush();
        }
    }
}
