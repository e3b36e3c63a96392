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

    /** Lines of a pane after scrolling, and the largest useful first line (the controller clamps to it). */
    public record Scrolled(List<StyledLine> lines, int maxFirst) {}

    /**
     * Every line of the queue: each item's line (key, state, prio), then for a running or paused
     * download a text bar with percent, speed, ETA, bytes and elapsed time, for a failed one its
     * error. Running downloads come first.
     */
    public static List<StyledLine> queue(DashboardState s, int width, Instant now) {
        List<StyledLine> lines = new ArrayList<>();
        List<ItemSnapshot> items = s.queue().items().stream().sorted(Comparator.comparingInt(PaneViews::rank)).toList();
        if (items.isEmpty()) {
            for (String part : Views.wrap("empty (d downloads the selected model)", width)) {
                lines.add(StyledLine.of(part, Tone.DIM));
            }
            return lines;
        }
        for (ItemSnapshot i : items) {
            String prio = "prio " + i.priority();
            // The key gives way first: state and prio always fit whole.
            int keyW = Math.max(8, Math.min(36, width - 11 - prio.length() - 2));
            String state = i.state().name().toLowerCase(Locale.ROOT);
            lines.add(new StyledLine.Builder().add(fit(i.key(), keyW) + " ").add(fit(state, 11), Views.tone(i.state()))
                    .add(" " + prio).build());
            boolean running = i.state() == ItemState.DOWNLOADING || (i.state() == ItemState.PAUSED && i.bytesTotal() > 0);
            if (running) {
                int barW = Math.max(10, Math.min(24, width / 4));
                String figures = i.state() == ItemState.PAUSED
                        ? String.format(Locale.ROOT, " %3.0f%% paused, %s of %s", Math.floor(i.percent()), Sizes.human(i.bytesDone()), Sizes.human(i.bytesTotal()))
                        : String.format(Locale.ROOT, " %3.0f%% %s ETA %s, %s of %s, elapsed %s", Math.floor(i.percent()),
                                Sizes.rate(i.bytesPerSecond()), Sizes.eta(i.etaSeconds()), Sizes.human(i.bytesDone()),
                                Sizes.human(i.bytesTotal()), Views.elapsed(i.startedAt(), now));
                if (i.filesTotal() > 1) {
                    figures += ", file " + Math.min(i.filesTotal(), i.filesDone() + 1) + "/" + i.filesTotal();
                }
                lines.add(new StyledLine.Builder().add("  " + Views.bar(i.percent() / 100, barW), Views.tone(i.state()))
                        .add(StyledLine.cut(figures, Math.max(0, width - barW - 2))).build());
            } else if (i.state() == ItemState.FAILED && i.lastError() != null) {
                lines.add(StyledLine.of(StyledLine.cut("  " + i.lastError(), width), Tone.ERROR));
            }
        }
        return lines;
    }

    /** How many lines the queue wants, so the layout can give every running download its room. */
    public static int queueLines(DashboardState s) {
        int n = 0;
        for (ItemSnapshot i : s.queue().items()) {
            boolean running = i.state() == ItemState.DOWNLOADING || (i.state() == ItemState.PAUSED && i.bytesTotal() > 0);
            n += running || (i.state() == ItemState.FAILED && i.lastError() != null) ? 2 : 1;
        }
        return Math.max(1, n);
    }

    /**
     * The lines from {@code first} that fit {@code height}, with "↑ N more above" and
     * "↓ N more below" marks in place of the first and last rows when lines are hidden.
     */
    public static Scrolled scroll(List<StyledLine> all, int first, int height) {
        if (all.size() <= height || height < 3) {
            return new Scrolled(all.subList(0, Math.min(all.size(), Math.max(0, height))), 0);
        }
        int maxFirst = all.size() - (height - 1);
        int from = Math.max(0, Math.min(first, maxFirst));
        List<StyledLine> out = new ArrayList<>();
        int rows = height;
        if (from > 0) {
            out.add(StyledLine.of("↑ " + from + " more above (PgUp)", Tone.DIM));
            rows--;
        }
        boolean below = from + rows < all.size();
        if (below) {
            rows--;
        }
        out.addAll(all.subList(from, from + rows));
        if (below) {
            out.add(StyledLine.of("↓ " + (all.size() - from - rows) + " more below (PgDn)", Tone.DIM));
        }
        return new Scrolled(out, maxFirst);
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

    /**
     * The selected model: state, then what went wrong and what to do about it (so a short pane
     * shows them first), verification, apps, then each file, the biggest first.
     */
    public static List<StyledLine> details(DashboardState s, int width, ZoneId zone) {
        List<StyledLine> lines = new ArrayList<>();
        ModelRow m = s.selectedModel();
        if (m == null) {
            lines.add(StyledLine.of("no model selected", Tone.DIM));
            return lines;
        }
        lines.add(new StyledLine.Builder().add(m.key(), Tone.BOLD).add("  ").add(m.state().word(), Views.tone(m.state()))
                .add("  " + Sizes.human(m.size()) + " in " + m.files().size() + " file(s)").build());
        if (m.lastError() != null) {
            for (String part : Views.wrap("last error: " + m.lastError(), width)) {
                lines.add(StyledLine.of(part, Tone.ERROR));
            }
        }
        // Wrong bytes are repaired; a download that failed (network, disk) is retried.
        String hint = m.state() == ModelRow.State.CORRUPT ? "repair: press Enter, then r to download again or x to delete"
                : m.state() == ModelRow.State.FAILED ? "retry: press Enter, then r to download again or x to delete" : null;
        if (hint != null) {
            for (String part : Views.wrap(hint, width)) {
                lines.add(StyledLine.of(part, Tone.WARN));
            }
        }
        lines.add(new StyledLine.Builder().add("verified ").add(Views.verification(m, zone),
                m.state() == ModelRow.State.CORRUPT ? Tone.ERROR : m.verifiedAt() != null ? Tone.OK : Tone.NORMAL)
                .add("   on disk " + Sizes.human(m.bytesOnDisk())).build());
        lines.add(StyledLine.of("apps " + (m.apps().isEmpty() ? "none" : String.join(", ", m.apps()))));
        List<ModelRow.FileRow> files = m.files().stream().sorted(Comparator.comparingLong(ModelRow.FileRow::size).reversed()).toList();
        for (ModelRow.FileRow f : files) {
            String facts = "  " + f.format() + (f.role() == null ? "" : ", " + f.role()) + ", " + Sizes.human(f.size());
            String mark = f.corrupt() ? "✗ corrupt " : f.present() ? "✓ " : "· ";
            Tone tone = f.corrupt() ? Tone.ERROR : f.present() ? Tone.OK : Tone.DIM;
            lines.add(new StyledLine.Builder().add(mark, tone)
                    .add(StyledLine.cut(f.path(), Math.max(8, width - mark.length() - facts.length()))).add(facts, Tone.DIM).build());
            String hash = f.sha256() == null ? "none (unverifiable)" : f.sha256();
            lines.add(StyledLine.of("  sha256 " + StyledLine.cut(hash, Math.max(8, width - 9)), Tone.DIM));
        }
        return lines;
    }
}
