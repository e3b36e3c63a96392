package dev.modeldepot.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard at 80x24 and 160x50, and live re-layout when the terminal is resized. */
class DashboardLayoutTest {
    static void assertAllPanes(Harness h) {
        String text = h.text();
        for (String pane : List.of("Model Depot dashboard", "Models 4", "Queue:", "Cache", "Details llava-1.6-mistral-7b:q4_k_m")) {
            assertTrue(text.contains(pane), () -> "missing '" + pane + "' in\n" + text);
        }
        for (String model : List.of("llava-1.6-mistral-7b", "qwen2.5-coder-7b", "broken-model", "whisper-large-v3")) {
            assertTrue(text.contains(model), () -> "missing model " + model + " in\n" + text);
        }
        assertTrue(text.contains("local queue") && text.contains("/srv/models") && text.contains("free 120 GB"), text);
    }

    /** Narrow layout: the details pane's top edge is on a row below the models pane's. */
    static boolean stacked(Harness h) {
        int[] models = h.find("Models 4");
        int[] details = h.find("Details ");
        return details[0] > models[0];
    }

    @Test
    void everyPaneFitsAt80x24() {
        Harness h = new Harness(80, 24, new FakeBackend(Fixtures.data(10_000_000_000L)));
        assertAllPanes(h);
        assertTrue(stacked(h), h.text());
        for (String row : h.rows()) {
            assertEquals(80, row.length());
        }
        // Box corners close on the last column: nothing is cut off at the right edge.
        int[] models = h.find("Models 4");
        assertEquals("┐", h.rows().get(models[0]).substring(79).replace('╗', '┐'));
        assertTrue(h.text().contains("sha256 4bd1bc95"), h.text());
    }

    @Test
    void wideTerminalPutsDetailsBesideModelsAndShowsWholeHashes() {
        Harness h = new Harness(160, 50, new FakeBackend(Fixtures.data(10_000_000_000L)));
        assertAllPanes(h);
        int[] models = h.find("Models 4");
        int[] details = h.find("Details ");
        assertEquals(models[0], details[0], "details sits beside the models table at 160 columns");
        assertTrue(details[1] > 80, h.text());
        assertTrue(h.text().contains("sha256 " + Fixtures.SHA), "the whole sha256 fits at 160 columns:\n" + h.text());
        assertTrue(h.text().contains("llama-server"), h.text());
    }

    @Test
    void resizeReflowsLive() {
        Harness h = new Harness(80, 24, new FakeBackend(Fixtures.data(10_000_000_000L)));
        assertTrue(stacked(h));
        h.resize(160, 50);
        assertEquals(50, h.rows().size());
        assertAllPanes(h);
        assertEquals(h.find("Models 4")[0], h.find("Details ")[0], h.text());
        h.resize(80, 24);
        assertAllPanes(h);
        assertTrue(stacked(h), h.text());
        for (String row : h.rows()) {
            assertEquals(80, row.length());
        }
        assertEquals('┘', h.rows().get(h.find("Queue:")[0] + 5).charAt(79), "the cache box closes on the last column again:\n" + h.text());
    }

    @Test
    void aTerminalShrunkBelowTheMinimumDegradesWithoutCrashing() {
        Harness h = new Harness(80, 24, new FakeBackend(Fixtures.data(10_000_000_000L)));
        for (int[] size : new int[][] {{40, 12}, {20, 6}, {10, 3}, {80, 24}}) {
            h.resize(size[0], size[1]);
            assertTrue(h.text().contains("Model"), size[0] + "x" + size[1] + ":\n" + h.text());
        }
        assertAllPanes(h);
    }

    @Test
    void focusingDetailsGivesThemTheQueueRowsOnANarrowScreen() {
        Harness h = new Harness(80, 24, new FakeBackend(Fixtures.data(10_000_000_000L)));
        assertNotNull(h.find("Queue:"));
        h.press(Binding.key(com.googlecode.lanterna.input.KeyType.Enter));
        assertEquals(DashboardState.Pane.DETAILS, h.controller.state().focus());
        assertNull(h.find("Queue:"), h.text());
        assertNotNull(h.find("mmproj-model-f16.gguf"), h.text());
    }
}
