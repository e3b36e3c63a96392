package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextColor;
import dev.modeldepot.queue.QueueSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots become text: speed, ETA and elapsed time from an injected clock, footer from the table, colours with words. */
class DashboardRenderTest {
    @Test
    void runningItemShowsBarPercentSpeedEtaAndElapsedTime() {
        FakeBackend backend = new FakeBackend(Fixtures.data(10_000_000_000L));
        backend.queue = new QueueSnapshot(List.of(
                Fixtures.downloading("qwen2.5-coder-7b:q4_k_m", 2_496_445_360L, 4_992_890_720L, 25_000_000, 100,
                        Fixtures.NOW.minusSeconds(65)),
                Fixtures.queued("whisper-large-v3:fp16", 1)), Fixtures.NOW);
        Harness h = new Harness(120, 40, backend);
        String text = h.text();
        assertTrue(text.contains("Queue: 1 running, 1 waiting"), text);
        assertTrue(text.contains("  50% 25.0 MB/s ETA 1m40s, 2.5 GB of 5.0 GB"), "\n" + text);
        assertTrue(new Harness(160, 40, backend).text().contains("2.5 GB of 5.0 GB, elapsed 1m05s"), "elapsed time where there is room");
        int[] at = h.find("50% 25.0 MB/s");
        String row = h.rows().get(at[0]);
        String drawn = row.substring(row.indexOf("  [") + 2, row.indexOf(']') + 1);
        assertTrue(drawn.matches("\\[#+\\.+\\]"), "a text bar that reads without colour: " + drawn);
        assertEquals(drawn.length() / 2 - 1, drawn.chars().filter(ch -> ch == '#').count(), 1, "half the bar is filled: " + drawn);
        assertTrue(text.contains("whisper-large-v3:fp16") && text.contains("queued") && text.contains("prio 1"), text);
    }

    @Test
    void tickRedrawsOnlyWhenTheSnapshotChanged() {
        FakeBackend backend = new FakeBackend(Fixtures.data(0));
        Harness h = new Harness(100, 30, backend);
        assertFalse(h.controller.tick(), "same data, nothing to redraw");
        // A new snapshot with the same items but a new timestamp is still no change.
        backend.queue = new QueueSnapshot(List.of(), Fixtures.NOW.plusSeconds(9));
        assertFalse(h.controller.tick());
        backend.queue = new QueueSnapshot(List.of(Fixtures.downloading("qwen2.5-coder-7b:q4_k_m", 10, 100, 1, 90,
                Fixtures.NOW)), Fixtures.NOW);
        assertNotNull(h.find("Queue: 0 running"), h.text());
        h.tick();
        assertNotNull(h.find("Queue: 1 running"), h.text());
        assertFalse(h.controller.tick(), "and then nothing new again");
    }

    @Test
    void footerIsOneLineOfTheTablesKeysInOrderWithHelpForTheRest() {
        for (int width : new int[] {80, 120, 200}) {
            Harness h = new Harness(width, 24, new FakeBackend(Fixtures.data(0)));
            List<StyledLine> footer = Views.footer(h.controller.state(), width);
            assertEquals(1, footer.size(), "no status yet: one line of keys");
            String shown = h.rows().get(h.rows().size() - 1);
            assertEquals(StyledLine.fit(footer.get(0).text(), width), shown);
            assertTrue(footer.get(0).length() <= width);
            assertTrue(shown.contains("? Help"), shown);
            int from = 0;
            for (Binding b : Bindings.TABLE) {
                int at = shown.indexOf(b.keyLabel() + " " + b.label(), from);
                if (at >= 0 && b.mode() == DashboardState.Mode.NORMAL && b.inFooter()) {
                    from = at;
                }
            }
            assertTrue(shown.startsWith("Enter Details d Download p Pause c Cancel / Filter Tab Focus q Quit"), shown);
        }
    }

    @Test
    void footerShowsTheKeysThatApplyNowInADialogAndWhileFiltering() {
        Harness h = new Harness(80, 24, new FakeBackend(Fixtures.data(0)));
        h.press(Binding.key('x'));
        String dialog = h.rows().get(23);
        assertTrue(dialog.startsWith("y Yes n No Esc Close"), dialog);
        assertFalse(dialog.contains("Download"), "the table's keys do nothing in a dialog, so they are not offered: " + dialog);
        h.press(Binding.key('n'), Binding.key('/'));
        String filter = h.rows().get(23);
        assertTrue(filter.startsWith("Enter Keep Esc Clear Backspace Erase"), filter);
        assertTrue(h.rows().get(22).startsWith("filter: _"), h.text());
    }

    @Test
    void stateIsWrittenAsWordsAndColouredToo() {
        Harness h = new Harness(100, 30, new FakeBackend(Fixtures.data(0)));
        int[] ready = h.find("ready ");
        int[] corrupt = h.find("corrupt ");
        assertEquals(TextColor.ANSI.GREEN, h.at(ready[1], ready[0]).getForegroundColor());
        assertEquals(TextColor.ANSI.RED, h.at(corrupt[1], corrupt[0]).getForegroundColor());
        assertNotNull(h.find("✗ sha256 mismatch"), h.text());
        assertNotNull(h.find("missing"), h.text());
    }

    @Test
    void cacheTurnsToWarningPastTheThresholdAndSaysSo() {
        // 6.7 GB used: 67% of 10 GB is fine, of 7.5 GB (89%) is near the budget, of 5 GB over it.
        Harness fine = new Harness(100, 30, new FakeBackend(Fixtures.data(10_000_000_000L)));
        int[] bar = fine.find("[#");
        assertEquals(TextColor.ANSI.GREEN, fine.at(bar[1], bar[0]).getForegroundColor());
        Harness near = new Harness(100, 30, new FakeBackend(Fixtures.data(7_500_000_000L)));
        assertNotNull(near.find("near budget"), near.text());
        bar = near.find("[#");
        assertEquals(TextColor.ANSI.YELLOW, near.at(bar[1], bar[0]).getForegroundColor());
        Harness over = new Harness(100, 30, new FakeBackend(Fixtures.data(5_000_000_000L)));
        assertNotNull(over.find("OVER BUDGET"), over.text());
        bar = over.find("[#");
        assertEquals(TextColor.ANSI.RED, over.at(bar[1], bar[0]).getForegroundColor());
    }

    @Test
    void detailsShowFilesFormatsHashesAppsAndLastError() {
        Harness h = new Harness(160, 50, new FakeBackend(Fixtures.data(0)));
        h.press(Binding.key('j'), Binding.key('j'));
        String text = h.text();
        assertTrue(text.contains("Details broken-model:q8_0"), text);
        assertTrue(text.contains("last error: broken.gguf does not match its SHA-256"), text);
        assertTrue(text.contains("repair: press Enter, then r to download again or x to delete"), text);
        assertTrue(text.contains("mmproj-model-f16.gguf  gguf, mmproj, 624 MB"), text);
        assertTrue(text.contains("apps none"), text);
    }
}
