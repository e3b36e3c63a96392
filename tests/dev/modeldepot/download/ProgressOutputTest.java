package dev.modeldepot.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeldepot.cli.ProgressPrinter;
import dev.modeldepot.core.SpeedMeter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Speed, ETA and the human progress formats, driven by a hand-moved clock. */
class ProgressOutputTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void speedComesFromTheSlidingWindow() {
        ManualClock clock = new ManualClock();
        SpeedMeter meter = new SpeedMeter(clock, 5000);
        assertEquals(0, meter.sample(0));
        double speed = 0;
        for (int s = 1; s <= 10; s++) {
            clock.advance(Duration.ofSeconds(1));
            speed = meter.sample(s * 1_000_000L);
        }
        assertEquals(1_000_000, speed, 1);
        for (int s = 1; s <= 10; s++) {
            clock.advance(Duration.ofSeconds(1));
            speed = meter.sample(10_000_000L + s * 500_000L);
        }
        // The window has forgotten the fast start: only the last 5 s count.
        assertEquals(500_000, speed, 1);
        assertEquals(10, SpeedMeter.eta(0, 10_000_000, 1_000_000));
        assertEquals(-1, SpeedMeter.eta(0, -1, 1_000_000));
        assertEquals(-1, SpeedMeter.eta(0, 10, 0));
    }

    @Test
    void plainOutputPrintsProgressEveryFewSecondsOnly() {
        ManualClock clock = new ManualClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(ProgressPrinter.Mode.PLAIN, new PrintStream(bytes, true, StandardCharsets.UTF_8), clock);
        p.onEvent(new DownloadEvent.Started("m.gguf", 0, 1000, 4));
        for (int i = 1; i <= 21; i++) {
            clock.advance(Duration.ofMillis(500));
            p.onEvent(new DownloadEvent.Progress("m.gguf", i * 45L, 1000, 100, 5));
        }
        p.onEvent(new DownloadEvent.Completed("m.gguf", Path.of("/x/m.gguf"), 1000));
        String out = bytes.toString(StandardCharsets.UTF_8);
        long progressLines = out.lines().filter(l -> l.contains("%")).count();
        assertEquals(2, progressLines, out); // 10.5 s of events, one line per 5 s, none before a speed is known
        assertTrue(out.contains("m.gguf: downloading 1.0 kB with up to 4 connections"), out);
        assertTrue(out.contains("m.gguf: done -> /x/m.gguf"), out);
        assertTrue(out.lines().noneMatch(l -> l.contains("\u001b")), "no escape codes without a TTY");
    }

    @Test
    void ttyOutputRedrawsOneLivePerFileAndAnOverallLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ManualClock clock = new ManualClock();
        ProgressPrinter p = new ProgressPrinter(ProgressPrinter.Mode.TTY, new PrintStream(bytes, true, StandardCharsets.UTF_8), clock);
        p.overall(3000);
        p.onEvent(new DownloadEvent.Progress("m:q4/w.gguf", 500, 2000, 1_000_000, 2));
        clock.advance(Duration.ofSeconds(1));
        p.onEvent(new DownloadEvent.Progress("m:q4/w.gguf", 1000, 2000, 1_000_000, 1));
        String out = bytes.toString(StandardCharsets.UTF_8);
        // Speed and ETA are the printer's own reading (500 bytes in the second since the first sample), not the event's.
        assertTrue(out.contains("m:q4/w.gguf   50.0%  1.0 kB of 2.0 kB  500 B/s  ETA 2s"), out);
        assertTrue(out.contains("overall   33.3%"), out);
        assertTrue(out.contains("\u001b[2A"), "the second draw moves up over the two live lines");
    }

    @Test
    void theLiveLineShowsAnEtaThatChangesAtMostOnceASecond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ManualClock clock = new ManualClock();
        ProgressPrinter p = new ProgressPrinter(ProgressPrinter.Mode.TTY, new PrintStream(bytes, true, StandardCharsets.UTF_8), clock);
        long done = 0;
        for (int i = 0; i <= 80; i++) { // two files' events, 4 a second, uneven steps around 1 MB/s
            done += i % 2 == 0 ? 400_000 : 100_000;
            p.onEvent(new DownloadEvent.Progress("m.gguf", done, 100_000_000, (i % 3) * 900_000, i % 7));
            clock.advance(Duration.ofMillis(250));
        }
        List<String> etas = new java.util.ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("m.gguf")) {
                etas.add(line.substring(line.indexOf("ETA ") + 4).trim());
            }
        }
        assertEquals(81, etas.size());
        int last = 0;
        for (int i = 1; i < etas.size(); i++) {
            if (!etas.get(i).equals(etas.get(i - 1))) {
                assertTrue(etas.get(i - 1).equals("--") || i - last >= 4, "ETA changed at event " + last + " and " + i + ": " + etas);
                last = i;
            }
        }
        assertTrue(etas.get(80).matches("1m(1|2)\\ds"), "about 80 MB left at 1 MB/s: " + etas.get(80));
    }
}
