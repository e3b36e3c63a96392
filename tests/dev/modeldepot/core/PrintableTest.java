package dev.modeldepot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlAndFormattingCharactersAreEscapedOthersKept() {
        assertEquals("a\\x1b]0;t\\x07b", Printable.of("a\u001b]0;t\u0007b"));
        assertEquals("\\x00\\x7f\\x9b\\x0a", Printable.of("\u0000\u007f\u009b\n"));
        assertEquals("evil\\u202etxt.exe", Printable.of("evil\u202etxt.exe"), "bidi override");
        String clean = "café 模型 ✓ tab-free";
        assertSame(clean, Printable.of(clean), "clean text is returned as it is");
        assertNull(Printable.of(null));
        assertEquals("one\\x1b\ntwo", Printable.keepingLines("one\u001b\ntwo"));
    }
}
