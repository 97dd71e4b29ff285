package io.presence.common.text;

import io.presence.common.problem.ProblemException;

/**
 * The one rule for text that enters the suite from outside (bodies, paths, queries, forms): it must be valid
 * Unicode (no unpaired surrogate halves, which have no UTF-8 form) and hold no control characters, NUL included,
 * which PostgreSQL cannot store and no client can show. Multi-line text (message bodies) may also hold line
 * breaks and tabs. Length limits are separate, per field.
 */
public final class TextRule {

    private TextRule() {
    }

    /** Why the text breaks the rule, or null when it keeps it (null text keeps it: absence is checked elsewhere). */
    public static String violation(CharSequence text, boolean multiline) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode text (an unpaired surrogate at position " + i + ")";
            } else if (c == '\u0000') {
                return "must not contain NUL characters";
            } else if (Character.getType(c) == Character.CONTROL && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
                return String.format("must not contain control characters (U+%04X at position %d)", (int) c, i);
            }
        }
        return null;
    }

    /** Answers 400 naming the field when the text breaks the rule; for text read without Bean Validation. */
    public static void require(String field, CharSequence text, boolean multiline) {
        String violation = violation(text, multiline);
        if (violation != null) {
            throw ProblemException.invalid(field, violation);
        }
    }
}
