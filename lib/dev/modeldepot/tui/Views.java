package dev.modeldepot.tui;

import static dev.modeldepot.tui.StyledLine.fit;

import dev.modeldepot.core.Sizes;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.tui.StyledLine.Tone;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The header, models table, footer and dialog as lines: pure functions of the state and a size. */
public final class Views {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Views() {}

    public static StyledLine header(DashboardState s, int width) {
        DashboardState.Data d = s.data();
        // Free disk first: on a narrow screen a long store path is what gets cut, not the number.
        String right = d.backend() + "  free " + Sizes.human(d.freeDisk()) + "  store " + d.storePath();
        String title = " Model Depot dashboard ";
        return new StyledLine.Builder().add(title, Tone.KEY).add(" " + StyledLine.cut(right, Math.max(0, width - title.length() - 1))).build();
    }

    public static Tone tone(ModelRow.State state) {
        return switch (state) {
            case READY -> Tone.OK;
            case QUEUED, DOWNLOADING, VERIFYING -> Tone.INFO;
            case PAUSED, PARTIAL, OUTDATED -> Tone.WARN;
            case CORRUPT, FAILED -> Tone.ERROR;
            case MISSING -> Tone.DIM;
        };
    }

    public static String verification(ModelRow m, ZoneId zone) {
        if (m.state() == ModelRow.State.CORRUPT) {
            return "✗ sha256 mismatch";
        }
        if (m.verifiedAt() == null) {
            return m.state() == ModelRow.State.READY ? "unverified" : "-";
        }
        return "✓ " + WHEN.format(m.verifiedAt().atZone(zone));
    }

    /** Column header plus as many rows as fit, scrolled so the selected row is visible. */
    public static List<StyledLine> models(DashboardState s, int width, int height, ZoneId zone) {
        int variantW = 8;
        int sizeW = 8;
        int stateW = 12;
        int verifyW = width >= 100 ? 20 : 18;
        int idW = Math.max(8, Math.min(40, width - 2 - variantW - sizeW - stateW - verifyW - 4));
        List<StyledLine> lines = new ArrayList<>();
        lines.add(StyledLine.of(fit("  " + fit("MODEL", idW) + " " + fit("VARIANT", variantW) + " " + fit("SIZE", sizeW)
                + " " + fit("STATE", stateW) + " " + "VERIFIED", width), Tone.BOLD));
        List<ModelRow> rows = s.visibleModels();
        if (rows.isEmpty()) {
            lines.add(StyledLine.of(s.filter().isEmpty() ? "  no models in the registry" : "  no model matches '" + s.filter() + "'", Tone.DIM));
            return lines;
        }
        int visible = Math.max(1, height - 1);
        int first = Math.max(0, Math.min(s.selected() - visible + 1, rows.size() - visible));
        first = Math.min(first, s.selected());
        for (int i = first; i < Math.min(rows.size(), first + visible); i++) {
            ModelRow m = rows.get(i);
            boolean sel = i == s.selected();
            Tone base = sel ? Tone.SELECTED : Tone.NORMAL;
            lines.add(new StyledLine.Builder()
                    .add((sel ? "▶ " : "  ") + fit(m.id(), idW) + " " + fit(m.variant(), variantW) + " " + fit(Sizes.human(m.size()), sizeW) + " ", base)
                    .add(fit(m.state().word(), stateW), tone(m.state()))
                    .add(" " + fit(verification(m, zone), Math.max(0, width - (idW + variantW + sizeW + stateW + 6))), base)
                    .build());
        }
        return lines;
    }

    /** The one progress bar style, readable without colour: "[######....]", {@code width} cells with the brackets. */
    public static String bar(double fraction, int width) {
        int inner = Math.max(1, width - 2);
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * inner);
        return "[" + "#".repeat(filled) + ".".repeat(inner - filled) + "]";
    }

    /**
     * The status line (filter, last message) when there is one, then ONE line of the keys that
     * apply now: the table's keys for the current mode (a dialog's own choices first when one is
     * open), as many as fit, and "? Help" for the rest.
     */
    public static List<StyledLine> footer(DashboardState s, int width) {
        List<StyledLine> lines = new ArrayList<>();
        StyledLine.Builder status = new StyledLine.Builder();
        if (s.filterEditing() || !s.filter().isEmpty()) {
            status.add("filter: " + s.filter() + (s.filterEditing() ? "_" : "") + "  ", Tone.INFO);
        }
        if (s.message() != null) {
            status.add(StyledLine.cut(s.message(), Math.max(0, width - status.length())),
                    s.message().startsWith("error") ? Tone.ERROR : Tone.NORMAL);
        }
        if (status.length() > 0) {
            lines.add(status.build());
        }
        List<String[]> keys = new ArrayList<>();
        if (s.dialog() != null) {
            for (Dialog.Choice c : s.dialog().choices()) {
                keys.add(new String[] {String.valueOf(c.key()), c.label()});
            }
        }
        Binding help = null;
        for (Binding b : Bindings.TABLE) {
            if (b.mode() != s.mode() || !b.inFooter()) {
                continue;
            }
            if (b.label().equals("Help")) {
                help = b;
            } else {
                keys.add(new String[] {b.keyLabel(), b.label()});
            }
        }
        String more = help == null ? "" : help.keyLabel() + " " + help.label();
        StyledLine.Builder line = new StyledLine.Builder();
        for (String[] k : keys) {
            int need = k[0].length() + 1 + k[1].length() + 1;
            if (line.length() + need + more.length() > width) {
                break;
            }
            line.add(k[0], Tone.KEY).add(" " + k[1] + " ");
        }
        if (help != null && line.length() + more.length() <= width) {
            line.add(help.keyLabel(), Tone.KEY).add(" " + help.label());
        }
        lines.add(line.build());
        return lines;
    }

    /** Lines of the dialog box, wrapped to {@code width}. */
    public static List<StyledLine> dialog(Dialog d, int width) {
        List<StyledLine> lines = new ArrayList<>();
        for (String text : d.lines()) {
            for (String part : wrap(text, width)) {
                lines.add(StyledLine.of(part));
            }
        }
        return lines;
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        String rest = text;
        while (rest.length() > width && width > 0) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = width;
            }
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut).stripLeading();
        }
        out.add(rest);
        return out;
    }

    static String elapsed(Instant from, Instant now) {
        return from == null ? "--" : Sizes.eta(Math.max(0, now.getEpochSecond() - from.getEpochSecond()));
    }

    static Tone tone(ItemState state) {
        return switch (state) {
            case DOWNLOADING, QUEUED -> Tone.INFO;
            case PAUSED -> Tone.WARN;
            case COMPLETED -> Tone.OK;
            case FAILED -> Tone.ERROR;
            case CANCELLED -> Tone.DIM;
        };
    }
}
