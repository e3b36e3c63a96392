package dev.modeldepot.cli;

import dev.modeldepot.core.Eta;
import dev.modeldepot.core.Json;
import dev.modeldepot.core.Sizes;
import dev.modeldepot.download.DownloadEvent;
import dev.modeldepot.download.DownloadListener;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows download events: JSON Lines (--json, on stdout), or for people (on stderr) a live line
 * per file plus an overall line on a TTY, or a plain line every few seconds otherwise.
 * Thread-safe: events come from engine threads. The speed and ETA people read are {@link Eta}'s:
 * measured from the resume point, smoothed, the ETA changed at most once a second (the JSON
 * events keep the engine's own figures).
 */
public final class ProgressPrinter implements DownloadListener {
    public enum Mode { JSON, TTY, PLAIN, QUIET }

    /** Names a label is reported under in JSON (model and variant are null for --url downloads). */
    public record Names(String model, String variant, String file) {}

    static final long PLAIN_EVERY_MILLIS = 5000;

    private final Mode mode;
    private final PrintStream out;
    private final Clock clock;
    private final Map<String, Names> names = new LinkedHashMap<>();
    private final Map<String, DownloadEvent.Progress> live = new LinkedHashMap<>();
    private final Map<String, Eta> etas = new LinkedHashMap<>();
    private final Map<String, Eta.Reading> readings = new LinkedHashMap<>();
    private final Map<String, Long> lastBytes = new LinkedHashMap<>();
    private Eta overallEta = new Eta();
    private Eta.Reading overallReading = Eta.Reading.UNKNOWN;
    /** Bytes the files moved since this printer first saw each of them (a resume's kept bytes are not speed). */
    private long moved;
    private final Map<String, Long> lastPlain = new LinkedHashMap<>();
    private long overallTotal = -1;
    private long overallDoneBefore;
    private int drawn;

    public ProgressPrinter(Mode mode, PrintStream out, Clock clock) {
        this.mode = mode;
        this.out = out;
        this.clock = clock;
    }

    /**
     * The printer a command's download shows through: JSON Lines on stdout with --json (on stderr
     * as plain lines when stdout carries the command's own result, as check-models' one JSON
     * document does), nothing with --quiet, live lines on a terminal, plain lines otherwise.
     */
    public static ProgressPrinter forCommand(CommonOptions common, Clock clock, boolean stdoutIsTheResult) {
        Mode mode = common.json ? (stdoutIsTheResult ? Mode.PLAIN : Mode.JSON)
                : common.quiet ? Mode.QUIET
                : common.console().isTty() ? Mode.TTY : Mode.PLAIN;
        return new ProgressPrinter(mode, mode == Mode.JSON ? System.out : System.err, clock);
    }

    /** Registers how a label is named in output; call before its download starts. */
    public synchronized void name(String label, Names n) {
        names.put(label, n);
    }

    /** For multi-file models: the total of the entry, shown on the overall line. */
    public synchronized void overall(long totalBytes) {
        overallTotal = totalBytes;
        overallDoneBefore = 0;
        overallEta = new Eta();
        overallReading = Eta.Reading.UNKNOWN;
    }

    /** What a person reads for this file: speed and time left from its own samples on this printer's clock. */
    private Eta.Reading read(DownloadEvent.Progress p) {
        long now = clock.millis();
        Long before = lastBytes.put(p.label(), p.bytes());
        moved += before == null ? 0 : Math.max(0, p.bytes() - before);
        Eta.Reading r = etas.computeIfAbsent(p.label(), l -> new Eta()).update(now, p.bytes(), p.total() > 0 ? Math.max(0, p.total() - p.bytes()) : -1);
        readings.put(p.label(), r);
        return r;
    }

    @Override
    public synchronized void onEvent(DownloadEvent e) {
        switch (mode) {
            case JSON -> out.println(Json.line(json(e)));
            case TTY -> tty(e);
            case PLAIN -> plain(e);
            case QUIET -> { }
        }
        out.flush();
    }

    /** The JSON object of an event, with the field names the command's documentation promises. */
    Map<String, Object> json(DownloadEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        Names n = names.getOrDefault(e.label(), new Names(null, null, e.label()));
        if (n.model() != null) {
            m.put("id", n.model());
            m.put("variant", n.variant());
        }
        m.put("file", n.file());
        if (e instanceof DownloadEvent.Queued q) {
            m.put("total", q.total());
        } else if (e instanceof DownloadEvent.Started s) {
            m.put("bytes", s.bytes());
            m.put("total", s.total());
            m.put("connections", s.connections());
        } else if (e instanceof DownloadEvent.Progress p) {
            m.put("bytes", p.bytes());
            m.put("total", p.total());
            m.put("percent", p.total() > 0 ? Math.round(1000.0 * p.bytes() / p.total()) / 10.0 : null);
            m.put("bytesPerSecond", Math.round(p.bytesPerSecond()));
            m.put("etaSeconds", p.etaSeconds());
        } else if (e instanceof DownloadEvent.Retry r) {
            m.put("attempt", r.attempt());
            m.put("reason", r.reason());
            m.put("delayMillis", r.delayMillis());
        } else if (e instanceof DownloadEvent.Verified v) {
            m.put("bytes", v.size());
            m.put("total", v.size());
            m.put("sha256", v.sha256());
            m.put("checked", v.checked());
        } else if (e instanceof DownloadEvent.Completed c) {
            m.put("bytes", c.size());
            m.put("total", c.size());
            m.put("path", c.path().toAbsolutePath().toString());
        } else if (e instanceof DownloadEvent.Failed f) {
            m.put("error", Map.of("code", f.code(), "message", f.message()));
        }
        return m;
    }

    private void plain(DownloadEvent e) {
        String label = e.label();
        if (e instanceof DownloadEvent.Progress p) {
            Eta.Reading reading = read(p);
            long now = clock.millis();
            Long last = lastPlain.get(label);
            if (last == null || now - last >= PLAIN_EVERY_MILLIS) {
                lastPlain.put(label, now);
                out.println(line(p, reading));
            }
        } else if (e instanceof DownloadEvent.Started s) {
            lastPlain.put(label, clock.millis()); // the first line comes once a speed is known
            out.println(label + ": " + (s.connections() == 0 ? "copying " + Sizes.human(s.total()) + " from the bundle"
                    : (s.bytes() > 0 ? "resuming at " + Sizes.human(s.bytes()) + " of " : "downloading ")
                    + Sizes.human(s.total()) + (s.connections() == 1 ? " with 1 connection" : " with up to " + s.connections() + " connections")));
        } else {
            message(e).ifPresent(out::println);
        }
    }

    private void tty(DownloadEvent e) {
        if (e instanceof DownloadEvent.Progress p) {
            read(p);
            live.put(p.label(), p);
            redraw();
            return;
        }
        var msg = message(e);
        if (e instanceof DownloadEvent.Completed c) {
            live.remove(c.label());
            overallDoneBefore += c.size();
        } else if (e instanceof DownloadEvent.Failed f && live.remove(f.label()) != null && msg.isEmpty()) {
            redraw(); // the failed file's line leaves the live block, so what the command prints next is not erased
        }
        if (msg.isPresent()) {
            erase();
            out.println(msg.get());
            redraw();
        }
    }

    private void erase() {
        if (drawn > 0) {
            out.print("\u001b[" + drawn + "A\r\u001b[J");
            drawn = 0;
        }
    }

    private void redraw() {
        erase();
        long inFlight = 0;
        for (DownloadEvent.Progress p : live.values()) {
            out.println(line(p, readings.getOrDefault(p.label(), Eta.Reading.UNKNOWN)));
            inFlight += p.bytes();
            drawn++;
        }
        if (overallTotal > 0 && !live.isEmpty()) {
            long done = overallDoneBefore + inFlight;
            overallReading = overallEta.update(clock.millis(), moved, Math.max(0, overallTotal - done));
            out.println(String.format(Locale.ROOT, "overall  %5.1f%%  %s of %s  %s  ETA %s", 100.0 * done / overallTotal,
                    Sizes.human(done), Sizes.human(overallTotal), Sizes.rate(overallReading.bytesPerSecond()),
                    Sizes.eta(overallReading.etaSeconds())));
            drawn++;
        }
    }

    static String line(DownloadEvent.Progress p, Eta.Reading r) {
        String pct = p.total() > 0 ? String.format(Locale.ROOT, "%5.1f%%", 100.0 * p.bytes() / p.total()) : "    ?";
        return p.label() + "  " + pct + "  " + Sizes.human(p.bytes()) + " of " + Sizes.human(p.total()) + "  "
                + Sizes.rate(r.bytesPerSecond()) + "  ETA " + Sizes.eta(r.etaSeconds());
    }

    private static java.util.Optional<String> message(DownloadEvent e) {
        String text = null;
        if (e instanceof DownloadEvent.Retry r) {
            text = r.attempt() == 0 ? e.label() + ": " + r.reason()
                    : e.label() + ": retry " + r.attempt() + (r.delayMillis() > 0 ? " in " + Sizes.eta(Math.max(1, r.delayMillis() / 1000)) : "") + ": " + r.reason();
        } else if (e instanceof DownloadEvent.Verified v) {
            text = e.label() + (v.checked() ? ": verified " : ": saved (no checksum given) ") + Sizes.human(v.size())
                    + (v.sha256() == null ? "" : " sha256 " + v.sha256());
        } else if (e instanceof DownloadEvent.Completed c) {
            text = e.label() + ": done -> " + c.path();
        }
        // A failure is not printed here: the command reports it once, as one line on stderr.
        // Reasons carry server text (headers, error bodies): never raw to the terminal.
        return java.util.Optional.ofNullable(dev.modeldepot.core.Printable.of(text));
    }
}
