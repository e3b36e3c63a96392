package dev.modeldepot.tui;

import static dev.modeldepot.tui.Binding.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyType;
import dev.modeldepot.queue.ItemSnapshot;
import dev.modeldepot.queue.ItemState;
import dev.modeldepot.queue.QueueSnapshot;
import dev.modeldepot.testing.Run;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as a new user meets it at 80x24: every running download visible, panes that
 * scroll with a mark when rows are hidden, Tab focus, a too-small screen, NO_COLOR, and the
 * corrupt/failed wording that fits.
 */
class DashboardFitTest {
    static final String QWEN = "qwen2.5-coder-7b:q4_k_m";
    static final String LLAVA = "llava-1.6-mistral-7b:q4_k_m";

    static FakeBackend twoRunning(int queuedToo) {
        FakeBackend backend = new FakeBackend(Fixtures.data(10_000_000_000L));
        List<ItemSnapshot> items = new ArrayList<>(List.of(
                Fixtures.downloading(QWEN, 2_496_445_360L, 4_992_890_720L, 25_000_000, 100, Fixtures.NOW.minusSeconds(65)),
                Fixtures.downloading(LLAVA, 1_000_000_000L, 4_992_890_720L, 12_000_000, 330, Fixtures.NOW.minusSeconds(80))));
        for (int i = 0; i < queuedToo; i++) {
            items.add(Fixtures.queued("extra-model-" + i + ":q4", i));
        }
        backend.queue = new QueueSnapshot(items, Fixtures.NOW);
        return backend;
    }

    @Test
    void at80x24EveryRunningDownloadShowsWithItsBarAndWholePrio() {
        Harness h = new Harness(80, 24, twoRunning(1));
        String text = h.text();
        assertNotNull(h.find("Queue: 2 running, 1 waiting"), text);
        for (String key : List.of(QWEN, LLAVA)) {
            int[] at = h.find(key);
            assertNotNull(at, key + " is visible:\n" + text);
            String row = h.rows().get(at[0]);
            assertTrue(row.matches(".*downloading +prio 0 *│.*"), "state and prio whole: " + row);
            assertTrue(h.rows().get(at[0] + 1).matches("│  \\[#*\\.*\\] +\\d+% .*"), "its bar below:\n" + text);
        }
        assertNotNull(h.find("50% 25.0 MB/s"), text);
        assertNotNull(h.find("20% 12.0 MB/s"), text);
    }

    @Test
    void aLongQueueScrollsWithMarksAndTabMovesTheFocus() {
        Harness h = new Harness(80, 24, twoRunning(8));
        String text = h.text();
        int[] more = h.find("more below (PgDn)");
        assertNotNull(more, "hidden rows are marked:\n" + text);
        long marksBefore = count(h, "more below");
        assertNull(h.find("more above"), text);
        assertNotNull(h.find(QWEN), "running downloads come first and stay visible");
        assertNotNull(h.find(LLAVA), text);
        assertNull(h.find("extra-model-7:q4"), text);

        assertEquals(DashboardState.Pane.MODELS, h.controller.state().focus());
        h.press(key(KeyType.Tab));
        assertEquals(DashboardState.Pane.QUEUE, h.controller.state().focus());
        int[] queueTop = h.find("Queue: 2 running");
        assertEquals('╔', h.rows().get(queueTop[0]).charAt(queueTop[1] - 3), "the focused pane has the double frame:\n" + h.text());

        for (int i = 0; i < 5; i++) {
            h.press(key(KeyType.PageDown));
        }
        assertNotNull(h.find("extra-model-7:q4"), "PgDn reaches the last row:\n" + h.text());
        assertNotNull(h.find("more above (PgUp)"), h.text());
        assertEquals(marksBefore - 1, count(h, "more below"), "the queue's bottom mark is gone:\n" + h.text());
        h.press(key(KeyType.PageUp));
        assertNotNull(h.find("more below (PgDn)"), "one PgUp acts at once, however often PgDn was pressed:\n" + h.text());

        h.press(key(KeyType.Tab));
        assertEquals(DashboardState.Pane.DETAILS, h.controller.state().focus());
        h.press(key(KeyType.Tab));
        assertEquals(DashboardState.Pane.MODELS, h.controller.state().focus());
    }

    @Test
    void belowTheMinimumSizeATooSmallScreenReplacesThePanes() {
        Harness h = new Harness(80, 24, twoRunning(0));
        for (int[] size : new int[][] {{79, 24}, {80, 23}, {40, 12}}) {
            h.resize(size[0], size[1]);
            String text = h.text();
            assertTrue(text.replace("\n", " ").replaceAll(" +", " ").contains("terminal too small (need 80x24, have " + size[0] + "x" + size[1] + ")"), text);
            assertNull(h.find("Queue:"), text);
        }
        h.resize(80, 24);
        assertNotNull(h.find("Queue: 2 running"), h.text());
        assertNull(h.find("too small"), h.text());
    }

    @Test
    void noColorSendsNoColourAtAllAndTheBarStillReads() {
        Harness h = new Harness(80, 24, twoRunning(1), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), false);
        for (int r = 0; r < 24; r++) {
            for (int c = 0; c < 80; c++) {
                TextCharacter ch = h.at(c, r);
                assertEquals(TextColor.ANSI.DEFAULT, ch.getForegroundColor(), "cell " + c + "," + r);
                assertEquals(TextColor.ANSI.DEFAULT, ch.getBackgroundColor(), "cell " + c + "," + r);
            }
        }
        assertNotNull(h.find("corrupt"), "state words carry the meaning");
        assertNotNull(h.find("  [#"), h.text());
        h.press(key('x'));
        assertNotNull(h.find("Delete " + LLAVA), h.text());
        int[] at = h.find("Delete " + LLAVA);
        assertEquals(TextColor.ANSI.DEFAULT, h.at(at[1], at[0]).getForegroundColor(), "dialogs too");
    }

    @Test
    void aCorruptModelsErrorAndRepairHintFitAt80x24AndItsBadFileIsMarked() {
        List<ModelRow> rows = new ArrayList<>(Fixtures.data(0).models());
        ModelRow broken = rows.get(2);
        List<ModelRow.FileRow> files = List.of(broken.files().get(0), new ModelRow.FileRow("mmproj-model-f16.gguf", "gguf", "mmproj",
                624_451_168L, Fixtures.SHA, true, true));
        rows.set(2, new ModelRow(broken.id(), broken.variant(), broken.size(), broken.state(), null, broken.bytesOnDisk(), files,
                List.of(), broken.lastError()));
        FakeBackend backend = new FakeBackend(new DashboardState.Data("/srv/models", "local queue", 120_000_000_000L, 0, -1, rows));
        Harness h = new Harness(80, 24, backend).press(key('j'), key('j'));
        String text = h.text();
        assertNotNull(h.find("repair: press Enter, then r to download again or x to delete"), text);
        assertNotNull(h.find("last error: broken.gguf does not match its SHA-256"), text);
        assertFalse(text.contains("repai…"), text);
        h.press(key(KeyType.Tab), key(KeyType.Tab), key(KeyType.PageDown));
        assertNotNull(h.find("✗ corrupt mmproj-model-f16.gguf"), "a corrupt file says so, not like a missing one:\n" + h.text());
    }

    @Test
    void aNetworkFailureOffersARetryNotARepair() {
        List<ModelRow> rows = new ArrayList<>(Fixtures.data(0).models());
        ModelRow w = rows.get(3);
        rows.set(3, new ModelRow(w.id(), w.variant(), w.size(), ModelRow.State.FAILED, null, 0, w.files(), List.of(),
                "connection reset by the server after 3 tries"));
        FakeBackend backend = new FakeBackend(new DashboardState.Data("/srv/models", "local queue", 1L << 40, 0, -1, rows));
        Harness h = new Harness(80, 24, backend).press(key('j'), key('j'), key('j'));
        assertNotNull(h.find("retry: press Enter"), h.text());
        assertFalse(h.text().contains("repair"), h.text());
        h.press(key(KeyType.Enter));
        assertNotNull(h.find("Retry whisper-large-v3:fp16"), h.text());
    }

    @Test
    void detailsOfAnEighteenFileVariantShowBigFilesFirstAndScroll() {
        List<ModelRow.FileRow> files = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            files.add(new ModelRow.FileRow("tokenizer/part-" + i + ".json", "json", null, 1_000 + i, Fixtures.SHA, true));
        }
        files.add(new ModelRow.FileRow("unet/diffusion_pytorch_model.fp16.safetensors", "safetensors", "weights", 5_135_149_760L, Fixtures.SHA, true));
        files.add(new ModelRow.FileRow("text_encoder_2/model.fp16.safetensors", "safetensors", "weights", 1_389_382_176L, Fixtures.SHA, true));
        ModelRow sdxl = new ModelRow("sdxl-base-1.0", "fp16", 6_600_000_000L, ModelRow.State.READY, Fixtures.NOW, 6_600_000_000L, files,
                List.of("comfyui"), null);
        FakeBackend backend = new FakeBackend(new DashboardState.Data("/srv/models", "local queue", 1L << 40, 0, -1, List.of(sdxl)));
        Harness h = new Harness(80, 24, backend);
        int[] unet = h.find("unet/diffusion_pytorch_model.fp16.safetensors");
        int[] te = h.find("text_encoder_2/model.fp16.safetensors");
        assertNotNull(unet, "the biggest file is visible without scrolling:\n" + h.text());
        assertNotNull(te, h.text());
        assertTrue(unet[0] < te[0], "biggest first");
        assertNotNull(h.find("more below (PgDn)"), h.text());
        assertNull(h.find("part-0.json"), h.text());
        h.press(key(KeyType.Tab), key(KeyType.Tab));
        for (int i = 0; i < 12; i++) {
            h.press(key(KeyType.PageDown));
        }
        assertNotNull(h.find("part-0.json"), "the details pane scrolls to the last file:\n" + h.text());
        assertNotNull(h.find("more above (PgUp)"), h.text());
    }

    @Test
    void pausedIsNotWaitingAndPSaysWhichHappened() {
        FakeBackend backend = new FakeBackend(Fixtures.data(0));
        ItemSnapshot paused = new ItemSnapshot(LLAVA, ItemState.PAUSED, 0, null, 0, 2, 1_000_000_000L, 4_992_890_720L, 0, -1,
                Fixtures.NOW, Fixtures.NOW, null, null, 0);
        backend.queue = new QueueSnapshot(List.of(paused,
                Fixtures.downloading(QWEN, 10, 100, 1, 90, Fixtures.NOW), Fixtures.queued("whisper-large-v3:fp16", 0)), Fixtures.NOW);
        Harness h = new Harness(80, 24, backend);
        assertNotNull(h.find("Queue: 1 running, 1 paused, 1 waiting"), h.text());
        h.press(key('p'));
        assertNotNull(h.find("resumed " + LLAVA), h.text());
        h.press(key('j'), key('p'));
        assertNotNull(h.find("paused " + QWEN), h.text());
    }

    private static long count(Harness h, String needle) {
        return h.rows().stream().filter(r -> r.contains(needle)).count();
    }

    @Test
    void maxActiveZeroIsRefused() {
        Run run = Run.of(new DashboardCommand(), "--max-active", "0");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--max-active must be at least 1"), run.err());
    }
}
