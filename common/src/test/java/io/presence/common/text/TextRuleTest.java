package io.presence.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import org.junit.jupiter.api.Test;

/** What text the suite takes in: valid Unicode without control characters; line breaks only where text is multi-line. */
class TextRuleTest {

    @Test
    void ordinaryTextOfEveryScriptPasses() {
        for (String text : new String[] {"", "ana", "Ana Müller", "漢字", "emoji \ud83d\ude00", "\u202eright-to-left", "a\u200bb"}) {
            assertNull(TextRule.violation(text, false), text);
        }
        assertNull(TextRule.violation(null, false));
    }

    @Test
    void nulControlCharactersAndLoneSurrogatesDoNot() {
        assertEquals("must not contain NUL characters", TextRule.violation("a\u0000b", true));
        assertNotNull(TextRule.violation("\u001b[31m", false));
        assertNotNull(TextRule.violation("\u007f", false));
        assertNotNull(TextRule.violation("\u0085", false));
        assertNotNull(TextRule.violation("\ud800", false));
        assertNotNull(TextRule.violation("x\udc00", false));
        assertNotNull(TextRule.violation("\ud83d\ude00\ud83d", false));
    }

    @Test
    void lineBreaksAndTabsOnlyInMultiLineText() {
        assertNotNull(TextRule.violation("two\nlines", false));
        assertNull(TextRule.violation("two\r\nlines\tand a tab", true));
        assertNotNull(TextRule.violation("bell\u0007", true));
    }

    @Test
    void requireNamesTheField() {
        ProblemException e = assertThrows(ProblemException.class, () -> TextRule.require("text", "a\u0000", false));
        assertEquals(ProblemType.VALIDATION, e.type());
        assertEquals("text", e.errors().get(0).field());
    }
}
