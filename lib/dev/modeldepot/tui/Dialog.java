package dev.modeldepot.tui;

import java.util.List;

/**
 * A small modal box: a title, text, and the keys that close it. Part of the state, so the
 * confirm-delete and repair dialogs are rendered and tested like everything else.
 */
public record Dialog(String title, List<String> lines, List<Choice> choices) {
    public Dialog {
        lines = List.copyOf(lines);
        choices = List.copyOf(choices);
    }

    /** A key that closes the dialog and runs its action (null action: just close). */
    public record Choice(char key, String label, Runnable action) {}

    public Choice choice(char key) {
        return choices.stream().filter(c -> Character.toLowerCase(c.key()) == Character.toLowerCase(key)).findFirst().orElse(null);
    }
}
