package dev.modeldepot.tui;

import static dev.modeldepot.tui.StyledLine.fit;

import dev.modeldepot.core.Sizes;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.tui.StyledLine.Tone;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The queue, cache and details panes as lines: pure functions of the state, a size and the time. */
public final class PaneViews {
    /** Past this share of the budget the cache pane turns to the warning colour. */
    public static final double WARN_SHARE = 0.8;

    private PaneViews() {}

    /** A progress bar to place over the queue pane: row and column inside it, value 0..1000. */
    public record Bar(int row, int col, int width, int value) {}

    public record Queue(List<StyledLine> lines, List<Bar> bars) {}

    /** Running items get a line and a progress bar; the rest one line each, as many as fit. */
    public static Queue queue(DashboardState s, int width, int height, Instant now) {
        List<StyledLine> lines = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        List<ItemSnapshot> items = s.queue().items().stream().sorted(Comparator.comparingInt(PaneViews::rank)).toList();
        if (items.isEmpty()) {
            for (String part : Views.wrap("empty (d downloads the selected model)", width)) {
                lines.add(StyledLine.of(part, Tone.DIM));
            }
            return new Queue(lines, bars);
        }
        for (ItemSnapshot i : items) {
            boolean running = i.state() == ItemState.DOWNLOADING || (i.state() == ItemState.PAUSED && i.bytesTotal() > 0);
            if (lines.size() + (running ? 2 : 1) > height) {
                break;
            }
            String state = i.state().name().toLowerCase(Locale.ROOT);
            StyledLine.Builder b = new StyledLine.Builder()
                    .add(fit(i.key(), Math.max(10, width / 2 - 2)) + " ")
                    .add(fit(state, 11), Views.tone(i.state()));
            String rest = " prio " + i.priority();
            if (i.filesTotal() > 0) {
                rest = " files " + i.filesDone() + "/" + i.filesTotal() + rest;
            }
            if (i.state() == ItemState.FAILED && i.lastError() != null) {
                rest = " " + i.lastError();
            }
            lines.add(b.add(StyledLine.cut(rest, Math.max(0, width - b.length()))).build());
            if (running) {
                String rate = " " + Sizes.rate(i.bytesPerSecond()) + " ETA " + Sizes.eta(i.etaSeconds());
                int barW = Math.max(8, Math.min(40, width - rate.length()));
                bars.add(new Bar(lines.size(), 0, barW, (int) Math.round(Math.min(100, i.percent()) * 10)));
                lines.add(StyledLine.of(" ".repeat(barW) + StyledLine.cut(rate, Math.max(0, width - barW))));
                if (lines.size() < height) {
                    lines.add(StyledLine.of(StyledLine.cut(String.format(Locale.ROOT, "  %s of %s, %.1f%%, elapsed %s",
                            Sizes.human(i.bytesDone()), Sizes.human(i.bytesTotal()), i.percent(),
                            Views.elapsed(i.startedAt(), now)), width), Tone.DIM));
                }
            }
        }
        return new Queue(lines, bars);
    }

    private static int rank(ItemSnapshot i) {
        return switch (i.state()) {
            case DOWNLOADING -> 0;
            case PAUSED -> 1;
            case QUEUED -> 2;
            case FAILED -> 3;
            case COMPLETED -> 4;
            case CANCELLED -> 5;
        };
    }

    /** Total against the budget (warning colour past {@link #WARN_SHARE}), free disk, then each model by size. */
    public static List<StyledLine> cache(DashboardState s, int width, int height) {
        DashboardState.Data d = s.data();
        List<StyledLine> lines = new ArrayList<>();
        long total = d.totalOnDisk();
        if (d.budget() > 0) {
            double share = (double) total / d.budget();
            Tone tone = share > 1 ? Tone.ERROR : share > WARN_SHARE ? Tone.WARN : Tone.OK;
            String word = share > 1 ? " OVER BUDGET" : share > WARN_SHARE ? " near budget" : "";
            int barW = Math.max(4, Math.min(30, width - 7 - word.length()));
            int filled = (int) Math.round(Math.min(1, share) * barW);
            lines.add(new StyledLine.Builder().add("[" + "#".repeat(filled) + ".".repeat(barW - filled) + "]", tone)
                    .add(String.format(Locale.ROOT, " %3.0f%%", share * 100) + word, tone).build());
            lines.add(StyledLine.of("used " + Sizes.human(total) + " of " + Sizes.human(d.budget()) + " budget"));
        } else {
            lines.add(StyledLine.of("used " + Sizes.human(total) + " (no budget set)"));
        }
        lines.add(StyledLine.of("free disk " + Sizes.human(d.freeDisk()), d.freeDisk() >= 0 && d.freeDisk() < 1_000_000_000L ? Tone.WARN : Tone.NORMAL));
        List<ModelRow> byUse = d.models().stream().filter(m -> m.bytesOnDisk() > 0)
                .sorted(Comparator.comparingLong(ModelRow::bytesOnDisk).reversed()).toList();
        for (ModelRow m : byUse) {
            if (lines.size() >= height) {
                break;
            }
            String size = Sizes.human(m.bytesOnDisk());
            lines.add(StyledLine.of(fit(m.key(), Math.max(1, width - size.length() - 1)) + " " + size));
        }
        return lines;
    }

    /** The selected model: state, verification, apps, last error, repair choices, then each file. */
    public static List<StyledLine> details(DashboardState s, int width, ZoneId zone) {
        List<StyledLine> lines = new ArrayList<>();
        ModelRow m = s.selectedModel();
        if (m == null) {
            lines.add(StyledLine.of("no model selected", Tone.DIM));
            return lines;
        }
        lines.add(new StyledLine.Builder().add(m.key(), Tone.BOLD).add("  ").add(m.state().word(), Views.tone(m.state()))
                .add("  " + Sizes.human(m.size()) + " in " + m.files().size() + " file(s)").build());
        lines.add(new StyledLine.Builder().add("verified ").add(Views.verification(m, zone),
                m.state() == ModelRow.State.CORRUPT ? Tone.ERROR : m.verifiedAt() != null ? Tone.OK : Tone.NORMAL)
                .add("   on disk " + Sizes.human(m.bytesOnDisk())).build());
        lines.add(StyledLine.of("apps " + (m.apps().isEmpty() ? "none" : String.join(", ", m.apps()))));
        if (m.lastError() != null) {
            for (String part : Views.wrap("last error: " + m.lastError(), width)) {
                lines.add(StyledLine.of(part, Tone.ERROR));
            }
        }
        if (m.state() == ModelRow.State.CORRUPT || m.state() == ModelRow.State.FAILED) {
            for (String part : Views.wrap("repair: press Enter, then r to download again or x to delete", width)) {
                lines.add(StyledLine.of(part, Tone.WARN));
            }
        }
        for (ModelRow.FileRow f : m.files()) {
            String facts = "  " + f.format() + (f.role() == null ? "" : ", " + f.role()) + ", " + Sizes.human(f.size());
            lines.add(new StyledLine.Builder().add(f.present() ? "✓ " : "· ", f.present() ? Tone.OK : Tone.DIM)
                    .add(StyledLine.cut(f.path(), Math.max(8, width - 2 - facts.length()))).add(facts, Tone.DIM).build());
            String hash = f.sha256() == null ? "none (unverifiable)" : f.sha256();
            lines.add(StyledLine.of("  sha256 " + StyledLine.cut(hash, Math.max(8, width - 9)), Tone.DIM));
        }
        return lines;
    }
}
