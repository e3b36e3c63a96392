package dev.modeldepot.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One row of the binding table: the keys, what the footer and help call them, and the action.
 * The key handler, the footer and the '?' screen all read the same table, so they cannot disagree.
 *
 * @param keyLabel how the keys are written for people ("↑/k", "Enter")
 * @param inFooter false for bindings listed only on the help screen
 */
public record Binding(DashboardState.Mode mode, String keyLabel, List<KeyStroke> keys, String label, String description, boolean inFooter,
                      Consumer<DashboardController> action) {
    public Binding {
        keys = List.copyOf(keys);
    }

    public static KeyStroke key(char c) {
        return new KeyStroke(c, false, false);
    }

    public static KeyStroke key(KeyType type) {
        return new KeyStroke(type);
    }

    public static KeyStroke ctrl(char c) {
        return new KeyStroke(c, true, false);
    }

    /** True when {@code stroke} is one of this binding's keys (shift is ignored for characters: '+' arrives either way). */
    public boolean matches(KeyStroke stroke) {
        return keys.stream().anyMatch(k -> k.getKeyType() == stroke.getKeyType()
                && (k.getKeyType() != KeyType.Character
                    || (k.getCharacter().equals(stroke.getCharacter()) && k.isCtrlDown() == stroke.isCtrlDown()
                        && k.isAltDown() == stroke.isAltDown())));
    }

    static Binding of(String keyLabel, String label, String description, Consumer<DashboardController> action, KeyStroke... keys) {
        return new Binding(DashboardState.Mode.NORMAL, keyLabel, Arrays.asList(keys), label, description, true, action);
    }

    /** A binding that applies only in another mode (the filter being typed, a dialog open). */
    static Binding in(DashboardState.Mode mode, String keyLabel, String label, String description, Consumer<DashboardController> action,
                      KeyStroke... keys) {
        return new Binding(mode, keyLabel, Arrays.asList(keys), label, description, true, action);
    }

    static Binding hidden(String keyLabel, String label, String description, Consumer<DashboardController> action, KeyStroke... keys) {
        return new Binding(DashboardState.Mode.NORMAL, keyLabel, Arrays.asList(keys), label, description, false, action);
    }
}
