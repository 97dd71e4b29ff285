package io.presence.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Labels (names, statuses) refuse each bidi control and zero-width character; other text keeps its rule. */
class TextRuleTest {

    @Test
    void labelsRefuseEveryBidiControlAndZeroWidthCharacterByCodePointAndPosition() {
        for (int c : new int[] {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C}) {
            assertEquals(String.format("must not contain bidirectional controls (U+%04X at position 2)", c),
                    TextRule.labelViolation("ab" + (char) c + "cd"));
        }
        for (int c : new int[] {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}) {
            assertEquals(String.format("must not contain zero-width characters (U+%04X at position 2)", c),
                    TextRule.labelViolation("ab" + (char) c + "cd"));
        }
        assertEquals("must not contain NUL characters", TextRule.labelViolation("a\u0000"), "the general rule first");
    }

    @Test
    void realNamesAreLabelsAndOtherTextMayHoldFormattingCharacters() {
        assertNull(TextRule.labelViolation("Zo\u00eb \u6f22\u5b57 \u0639\u0644\u064a \ud83d\ude00 caf\u00e9"));
        assertNull(TextRule.labelViolation(null));
        // a message body may quote right-to-left text with its marks
        assertNull(TextRule.violation("\u200fquoted\u200f", true));
    }

    @Test
    void aJoinerInsideAnEmojiIsPartOfItAndAnywhereElseItIsRefused() {
        assertNull(TextRule.labelViolation("Ada \uD83D\uDC69\u200D\uD83D\uDCBB"), "woman technologist");
        assertNull(TextRule.labelViolation("\uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDE80"), "with a skin tone");
        assertNull(TextRule.labelViolation("\u2764\uFE0F\u200D\uD83D\uDD25 on"), "heart on fire, after VS16");
        assertEquals("must not contain zero-width characters (U+200D at position 2)",
                TextRule.labelViolation("\uD83D\uDE00\u200Dx"), "an emoji, then a letter");
        assertEquals("must not contain zero-width characters (U+200D at position 1)",
                TextRule.labelViolation("x\u200D\uD83D\uDE00"), "a letter, then an emoji");
        assertEquals("must not contain zero-width characters (U+200D at position 2)",
                TextRule.labelViolation("\uD83D\uDE00\u200D"), "a joiner at the end");
        assertEquals("must not contain zero-width characters (U+200D at position 0)",
                TextRule.labelViolation("\u200D\uD83D\uDE00"), "a joiner at the start");
    }
}
