package dev.modeldepot.cli;

import dev.modeldepot.core.Sizes;
import dev.modeldepot.verify.RunProgress;
import java.io.PrintStream;
import java.util.Locale;

/** The live progress line on a terminal's stderr, redrawn in place and erased at the end. */
public final class ProgressLine {
    private final PrintStream err;

    public ProgressLine(PrintStream err) {
        this.err = err;
    }

    synchronized void show(RunProgress p) {
        if (p.finished()) {
            err.print("\r\u001b[K");
            err.flush();
            return;
        }
        int percent = p.bytesTotal() > 0 ? (int) Math.min(100, p.bytesDone() * 100 / p.bytesTotal()) : 0;
        err.print(String.format(Locale.ROOT, "\r\u001b[Kverifying %d/%d files  %s of %s  %d%%  %s  ETA %s",
                p.filesDone(), p.filesTotal(), Sizes.human(p.bytesDone()), Sizes.human(p.bytesTotal()), percent,
                Sizes.rate(p.bytesPerSecond()), Sizes.eta(p.etaSeconds())));
        err.flush();
    }
}
