package io.presence.terminal.ui;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** One line of output built from styled pieces; every piece is made inert by {@link SafeText}, whoever wrote it. */
public final class Line {

    private final AttributedStringBuilder builder = new AttributedStringBuilder();

    public static Line of(String text, AttributedStyle style) {
        return new Line().add(text, style);
    }

    public Line add(String text, AttributedStyle style) {
        builder.styled(style, SafeText.inline(text));
        return this;
    }

    public Line add(String text) {
        return add(text, AttributedStyle.DEFAULT);
    }

    /** Pads with spaces to this many columns. */
    public Line padTo(int columns) {
        int missing = columns - builder.columnLength();
        if (missing > 0) {
            builder.append(" ".repeat(missing));
        }
        return this;
    }

    public int columns() {
        return builder.columnLength();
    }

    public AttributedString build() {
        return builder.toAttributedString();
    }

    @Override
    public String toString() {
        return builder.toString();
    }
}
