package io.presence.common.text;

import io.presence.common.problem.ProblemException;

/**
 * The one rule for text that enters the suite from outside (bodies, paths, queries, forms): it must be valid
 * Unicode (no unpaired surrogate halves, which have no UTF-8 form) and hold no control characters, NUL included,
 * which PostgreSQL cannot store and no client can show. Multi-line text (message bodies) may also hold line
 * breaks and tabs. Labels (display names, status texts, room names), shown beside other people's, also hold no
 * bidirectional controls and no zero-width characters (but the joiner inside an emoji such as 👩‍💻), with which one name could pass for another or reorder
 * the text around it. Length limits are separate, per field.
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

    /** Why a label (a name or status shown beside others) breaks the rule, or null when it keeps it. */
    public static String labelViolation(CharSequence text) {
        String violation = violation(text, false);
        if (violation != null || text == null) {
            return violation;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isBidiControl(c)) {
                return String.format("must not contain bidirectional controls (U+%04X at position %d)", (int) c, i);
            }
            if (isZeroWidth(c) && !(c == '\u200D' && joinsEmoji(text, i))) {
                return String.format("must not contain zero-width characters (U+%04X at position %d)", (int) c, i);
            }
        }
        return null;
    }

    /** Embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the marks LRM, RLM and ALM. */
    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    /** Zero-width space, non-joiner and joiner (U+200B-200D), word joiner (U+2060) and the byte order mark (U+FEFF). */
    private static boolean isZeroWidth(char c) {
        return (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || c == '\uFEFF';
    }

    /**
     * Whether the zero-width joiner at {@code at} joins two pictographs into one emoji (👩‍💻 is 👩, U+200D, 💻): the
     * one place a joiner is visible as what it does. Before it may come a variation selector or skin tone.
     */
    private static boolean joinsEmoji(CharSequence text, int at) {
        int before = at;
        while (before > 0) {
            int cp = Character.codePointBefore(text, before);
            if (cp != 0xFE0F && !(cp >= 0x1F3FB && cp <= 0x1F3FF)) {
                break;
            }
            before -= Character.charCount(cp);
        }
        return before > 0 && at + 1 < text.length()
                && isPictograph(Character.codePointBefore(text, before)) && isPictograph(Character.codePointAt(text, at + 1));
    }

    /** Emoji pictographs: the symbol planes U+1F000-1FAFF and the older symbols U+2300-23FF, U+2600-27BF, U+2B00-2BFF. */
    private static boolean isPictograph(int cp) {
        return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2600 && cp <= 0x27BF)
                || (cp >= 0x2B00 && cp <= 0x2BFF);
    }

    /** Answers 400 naming the field when the text breaks the rule; for text read without Bean Validation. */
    public static void require(String field, CharSequence text, boolean multiline) {
        reject(field, violation(text, multiline));
    }

    /** Answers 400 naming the field when a label breaks the rule; for text read without Bean Validation. */
    public static void requireLabel(String field, CharSequence text) {
        reject(field, labelViolation(text));
    }

    private static void reject(String field, String violation) {
        if (violation != null) {
            throw ProblemException.invalid(field, violation);
        }
    }
}
