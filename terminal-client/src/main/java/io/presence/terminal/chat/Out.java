package io.presence.terminal.chat;

import io.presence.terminal.ui.Console;
import io.presence.terminal.ui.Line;
import io.presence.terminal.ui.Theme;

/** The chat's own lines, told apart from messages: {@code -!- } before information, errors and announcements. */
final class Out {

    private final Console console;
    private final Theme theme;

    Out(Console console) {
        this.console = console;
        this.theme = console.theme();
    }

    Theme theme() {
        return theme;
    }

    void line(Line line) {
        console.print(line);
    }

    void info(String text) {
        line(Line.of("-!- ", theme.dim()).add(text));
    }

    void hint(String text) {
        line(Line.of("-!- " + text, theme.dim()));
    }

    void notice(String text) {
        line(Line.of("-!- ", theme.dim()).add(text, theme.notice()));
    }

    void error(String text) {
        line(Line.of("-!- ", theme.dim()).add(text, theme.error()));
    }

    /** A heading: {@code === #tea: all things tea ===}. */
    void section(String title) {
        line(Line.of("=== " + title + " ===", theme.bold()));
    }

    void blank() {
        line(new Line());
    }
}
