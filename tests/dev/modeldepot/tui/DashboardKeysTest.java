package dev.modeldepot.tui;

import static dev.modeldepot.tui.Binding.ctrl;
import static dev.modeldepot.tui.Binding.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every binding of the table, pressed on a virtual terminal, reaches the backend or changes the state. */
class DashboardKeysTest {
    static final String FIRST = "llava-1.6-mistral-7b:q4_k_m";
    static final String SECOND = "qwen2.5-coder-7b:q4_k_m";

    static Harness harness() {
        return new Harness(100, 30, new FakeBackend(Fixtures.data(10_000_000_000L)));
    }

    /** One check per binding, keyed by its label in the table. */
    static Map<String, Consumer<Harness>> checks() {
        Map<String, Consumer<Harness>> c = new LinkedHashMap<>();
        c.put("Down", h -> {
            assertEquals(1, h.controller.state().selected());
            assertTrue(h.rows().stream().anyMatch(r -> r.contains("▶ qwen2.5-coder-7b")), h.text());
        });
        c.put("Up", h -> assertEquals(0, h.controller.state().selected()));
        c.put("Details", h -> assertEquals(DashboardState.Pane.DETAILS, h.controller.state().focus()));
        c.put("Download", h -> assertEquals(List.of("download " + FIRST), h.backend.calls));
        c.put("Pause", h -> assertEquals(List.of("pauseOrResume " + FIRST), h.backend.calls));
        c.put("Cancel", h -> assertEquals(List.of("cancel " + FIRST), h.backend.calls));
        c.put("Verify", h -> assertEquals(List.of("verify " + FIRST), h.backend.calls));
        c.put("Delete", h -> {
            assertNotNull(h.find("Delete " + FIRST + "?"), h.text());
            assertTrue(h.backend.calls.isEmpty(), "nothing is deleted before the answer");
        });
        c.put("Prio+", h -> assertEquals(List.of("priority " + FIRST + " 1"), h.backend.calls));
        c.put("Prio-", h -> assertEquals(List.of("priority " + FIRST + " -1"), h.backend.calls));
        c.put("Filter", h -> assertTrue(h.controller.state().filterEditing()));
        c.put("Refresh", h -> assertEquals(List.of("refresh"), h.backend.calls));
        c.put("Help", h -> {
            for (Binding b : Bindings.TABLE) {
                if (b.mode() == DashboardState.Mode.NORMAL) {
                    assertNotNull(h.find(b.description().substring(0, Math.min(30, b.description().length()))), h.text());
                }
            }
            assertNotNull(h.find("filter: Enter keep, Esc clear"), h.text());
        });
        c.put("Focus", h -> assertEquals(DashboardState.Pane.QUEUE, h.controller.state().focus()));
        c.put("Scroll", h -> assertEquals(3, h.controller.state().selected(), "PgDn in the models pane moves a page down"));
        c.put("Scroll up", h -> assertEquals(0, h.controller.state().selected()));
        // Filter mode: '/' then "wh" typed first (whisper-large-v3 is the one match).
        c.put("Keep", h -> {
            assertFalse(h.controller.state().filterEditing());
            assertEquals("wh", h.controller.state().filter());
        });
        c.put("Clear", h -> {
            assertEquals("", h.controller.state().filter());
            assertEquals("whisper-large-v3:fp16", h.controller.state().selectedModel().key(), "clearing the filter keeps the selection");
        });
        c.put("Erase", h -> assertEquals("w", h.controller.state().filter()));
        // Dialog mode: 'x' opened the delete dialog first.
        c.put("Close", h -> {
            assertNull(h.controller.state().dialog());
            assertTrue(h.backend.calls.isEmpty(), "closing a dialog does nothing");
        });
        c.put("Quit", h -> assertTrue(h.controller.quitRequested()));
        return c;
    }

    @Test
    void everyKeyOfEveryBindingDoesWhatTheTableSays() {
        Map<String, Consumer<Harness>> checks = checks();
        for (Binding b : Bindings.TABLE) {
            Consumer<Harness> check = checks.get(b.label());
            assertNotNull(check, "binding '" + b.label() + "' has no test");
            for (KeyStroke k : b.keys()) {
                Harness h = harness();
                if (b.label().equals("Up")) {
                    h.press(key('j'));
                }
                if (b.mode() == DashboardState.Mode.FILTER) {
                    h.press(key('/')).type("wh");
                }
                if (b.mode() == DashboardState.Mode.DIALOG) {
                    h.press(key('x'));
                }
                h.press(k);
                try {
                    check.accept(h);
                } catch (AssertionError e) {
                    throw new AssertionError("key " + k + " of binding '" + b.label() + "': " + e.getMessage(), e);
                }
            }
        }
    }

    @Test
    void helpFitsOnTheSmallestScreen() {
        Harness h = new Harness(80, 24, new FakeBackend(Fixtures.data(0))).press(key('?'));
        assertNotNull(h.find("↑/k     Select the model above"), h.text());
        assertNotNull(h.find("Ctrl-C  Leave the dashboard, like q"), h.text());
        assertNotNull(h.find("Esc or ? closes this help."), h.text());
        h.press(key(KeyType.Escape));
        assertNull(h.find("Esc or ? closes this help."), h.text());
    }

    @Test
    void ctrlCQuitsLikeQ() {
        Harness h = harness().press(ctrl('c'));
        assertTrue(h.controller.quitRequested());
    }

    @Test
    void deleteAsksAndYesDeletes() {
        Harness h = harness().press(key('j'), key('x'));
        assertNotNull(h.find("Delete " + SECOND + "?"), h.text());
        h.press(key('y'));
        assertEquals(List.of("delete " + SECOND), h.backend.calls);
        assertNull(h.find("Delete " + SECOND + "?"), "the dialog closes:\n" + h.text());
        assertNotNull(h.find("deleted " + SECOND), h.text());
    }

    @Test
    void deleteAsksAndNoOrEscapeKeeps() {
        Harness h = harness().press(key('x'), key('n'));
        assertTrue(h.backend.calls.isEmpty());
        assertNull(h.find("Delete " + FIRST + "?"), h.text());
        h.press(key('x'), key(KeyType.Escape));
        assertTrue(h.backend.calls.isEmpty());
        assertNull(h.find("Delete " + FIRST + "?"), h.text());
        // Other keys do nothing while the dialog is open: 'd' does not download behind it.
        h.press(key('x'), key('d'));
        assertTrue(h.backend.calls.isEmpty());
        assertNotNull(h.find("Delete " + FIRST + "?"));
    }

    @Test
    void escapeThenAKeyInQuickSuccessionIsBothKeys() {
        // A terminal delivers Esc immediately followed by q as Alt+q.
        Harness h = harness().press(key('x')).press(new KeyStroke('q', false, true));
        assertNull(h.find("Delete " + FIRST + "?"), h.text());
        assertTrue(h.controller.quitRequested());
        assertTrue(h.backend.calls.isEmpty());
    }

    @Test
    void enterOnACorruptModelOffersRetryAndDelete() {
        Harness h = harness().press(key('j'), key('j'), key(KeyType.Enter));
        assertNotNull(h.find("Repair broken-model:q8_0"), h.text());
        assertNotNull(h.find("r: download it again"), h.text());
        h.press(key('r'));
        assertEquals(List.of("download broken-model:q8_0"), h.backend.calls);
        h.press(key(KeyType.Enter), key('x'));
        assertEquals(List.of("download broken-model:q8_0", "delete broken-model:q8_0"), h.backend.calls);
    }

    @Test
    void filterNarrowsTheTableAndEscapeClearsIt() {
        Harness h = harness().press(key('/')).type("whis");
        assertNotNull(h.find("filter: whis_"), h.text());
        assertNull(h.find("llava-1.6-mistral-7b "), h.text());
        assertNotNull(h.find("▶ whisper-large-v3"), h.text());
        h.press(key(KeyType.Enter), key('d'));
        assertEquals(List.of("download whisper-large-v3:fp16"), h.backend.calls, "keys act on the filtered selection");
        h.press(key('/'), key(KeyType.Escape));
        assertEquals("", h.controller.state().filter());
        assertNotNull(h.find("llava-1.6-mistral-7b "), h.text());
    }

    @Test
    void backendRefusalsBecomeAStatusLineNotACrash() {
        FakeBackend refusing = new FakeBackend(Fixtures.data(0)) {
            @Override
            public void download(String key) {
                throw dev.modeldepot.core.DepotException.badInput(key + " is already downloaded and verified");
            }
        };
        Harness h = new Harness(100, 30, refusing).press(key('d'));
        assertNotNull(h.find("error: " + FIRST + " is already downloaded and verified"), h.text());
        assertFalse(h.controller.quitRequested());
    }
}
