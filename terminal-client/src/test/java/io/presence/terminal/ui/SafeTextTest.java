package io.presence.terminal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void escapeSequencesAndControlCharactersBecomeVisibleCaretNotation() {
        assertEquals("^[[31mRED^[[0m", SafeText.inline("\u001b[31mRED\u001b[0m"));
        assertEquals("^[]0;pwned^G", SafeText.inline("\u001b]0;pwned\u0007"));
        assertEquals("a^Mb^Hc^?d^@", SafeText.inline("a\rb\bc\u007fd\u0000"));
        assertEquals("line^Jbreak", SafeText.inline("line\nbreak"), "a name never spans two lines");
    }

    @Test
    void c1ControlsAndDirectionOverridesAreNamed() {
        assertEquals("\\x9b31m", SafeText.inline("\u009b31m"));
        assertEquals("abc<U+202E>fed<U+2066>", SafeText.inline("abc\u202efed\u2066"));
    }

    @Test
    void ordinaryTextIsUntouched() {
        String text = "Grüße, 你好, emoji \uD83D\uDE00, 100% \\o/ \"quoted\" <b>markup</b>";
        assertEquals(text, SafeText.inline(text));
    }

    @Test
    void renderingIsIdempotentSoTextCanPassTwice() {
        String once = SafeText.inline("\u001b[2J\u009b\u202e\t");
        assertEquals(once, SafeText.inline(once));
        assertTrue(once.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)), once);
    }

    @Test
    void messagesKeepTheirLinesWithEachLineMadeSafe() {
        assertEquals(List.of("first", "second ^[[1m", "", "    tabbed"), SafeText.lines("first\r\nsecond \u001b[1m\n\n\ttabbed"));
        assertEquals(List.of(""), SafeText.lines(null));
    }

    @Test
    void aLoneSurrogateIsReplaced() {
        assertEquals("a\ufffdb", SafeText.inline("a\ud800b"));
    }
}
