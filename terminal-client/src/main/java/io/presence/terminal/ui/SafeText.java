package io.presence.terminal.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes text written by other people safe to print: control characters, escape sequences and direction overrides
 * come out as visible, inert notation ({@code ^[}, {@code \x9b}, {@code <U+202E>}), so the terminal never acts on them.
 */
public final class SafeText {

    private SafeText() {
    }

    /** One line of text (names, status, room names): every control character, line breaks included, made visible. */
    public static String inline(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> appendInert(out, cp, " "));
        return out.toString();
    }

    /** Message text: split at its line breaks, each line made safe; tabs become spaces. */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        if (text == null) {
            lines.add("");
            return lines;
        }
        for (String line : text.split("\r\n|\n", -1)) {
            StringBuilder out = new StringBuilder(line.length());
            line.codePoints().forEach(cp -> appendInert(out, cp, "    "));
            lines.add(out.toString());
        }
        return lines;
    }

    private static void appendInert(StringBuilder out, int cp, String tab) {
        if (cp == '\t') {
            out.append(tab);
        } else if (cp < 0x20) {
            out.append('^').append((char) (cp + 0x40)); // caret notation: ESC is ^[, BEL ^G, CR ^M
        } else if (cp == 0x7f) {
            out.append("^?");
        } else if (cp >= 0x80 && cp <= 0x9f) {
            out.append(String.format("\\x%02x", cp)); // C1 controls: 0x9b alone starts a CSI on some terminals
        } else if (isInvisibleFormat(cp)) {
            out.append(String.format("<U+%04X>", cp));
        } else if (cp >= 0xd800 && cp <= 0xdfff) {
            out.append('\ufffd'); // a lone surrogate cannot be encoded
        } else {
            out.appendCodePoint(cp);
        }
    }

    /** Direction overrides and isolates reorder what follows them (the "Trojan Source" trick); separators break lines. */
    private static boolean isInvisibleFormat(int cp) {
        return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
    }
}
