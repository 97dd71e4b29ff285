package io.presence.terminal.ui;

import org.jline.utils.AttributedStyle;

/** The chat's styles, or none at all when colours are off (not a terminal, {@code --no-color}, {@code NO_COLOR}). */
public final class Theme {

    private static final int[] NICK_COLORS = {AttributedStyle.CYAN, AttributedStyle.GREEN, AttributedStyle.MAGENTA,
        AttributedStyle.BLUE, AttributedStyle.YELLOW, AttributedStyle.RED};

    private final boolean colors;

    public Theme(boolean colors) {
        this.colors = colors;
    }

    public boolean colors() {
        return colors;
    }

    public AttributedStyle plain() {
        return AttributedStyle.DEFAULT;
    }

    public AttributedStyle dim() {
        return colors ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT;
    }

    public AttributedStyle bold() {
        return colors ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
    }

    public AttributedStyle error() {
        return colors ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : AttributedStyle.DEFAULT;
    }

    public AttributedStyle notice() {
        return colors ? AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW) : AttributedStyle.DEFAULT;
    }

    public AttributedStyle bar() {
        return colors ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT;
    }

    /** The same colour for a name every time it appears. */
    public AttributedStyle nick(String handle, boolean me) {
        if (!colors) {
            return AttributedStyle.DEFAULT;
        }
        if (me) {
            return AttributedStyle.BOLD;
        }
        return AttributedStyle.DEFAULT.foreground(NICK_COLORS[Math.floorMod(handle.hashCode(), NICK_COLORS.length)]);
    }

    /** Colour of a status word: online green, away yellow, busy red, invisible and offline dim. */
    public AttributedStyle status(String status, AttributedStyle base) {
        if (!colors) {
            return base;
        }
        return switch (status == null ? "offline" : status) {
            case "online" -> base.foreground(AttributedStyle.GREEN);
            case "away" -> base.foreground(AttributedStyle.YELLOW);
            case "busy" -> base.foreground(AttributedStyle.RED);
            default -> base.faint();
        };
    }
}
