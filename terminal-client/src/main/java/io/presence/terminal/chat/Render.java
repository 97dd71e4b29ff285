package io.presence.terminal.chat;

import io.presence.terminal.api.Wire;
import io.presence.terminal.ui.Line;
import io.presence.terminal.ui.SafeText;
import io.presence.terminal.ui.Theme;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** How messages and people look: {@code 12:01 <ana> text}, status badges, system lines. */
final class Render {

    private final Theme theme;
    private final ZoneId zone;
    private final String myId;

    Render(Theme theme, ZoneId zone, String myId) {
        this.theme = theme;
        this.zone = zone;
        this.myId = myId;
    }

    Theme theme() {
        return theme;
    }

    ZoneId zone() {
        return zone;
    }

    /** A message as one or more lines; continuation lines are indented under the text. */
    List<Line> message(Wire.Message message) {
        Instant at = Times.parse(message.createdAt());
        Line first = Line.of(Times.clock(at, zone) + " ", theme.dim());
        List<Line> lines = new ArrayList<>();
        if (message.system()) {
            lines.add(first.add("-- " + message.text(), theme.dim()));
            return lines;
        }
        Wire.Author author = message.author();
        String handle = author == null || author.handle() == null ? "?" : author.handle();
        boolean mine = author != null && myId.equals(author.id());
        first.add("<" + handle + ">", theme.nick(handle, mine)).add(" ");
        if (message.deletedAt() != null) {
            lines.add(first.add("(message deleted)", theme.dim()));
            return lines;
        }
        int indent = first.columns();
        List<String> text = SafeText.lines(message.text());
        lines.add(first.add(text.get(0)));
        for (int i = 1; i < text.size(); i++) {
            lines.add(new Line().add(" ".repeat(indent)).add(text.get(i)));
        }
        if (message.editedAt() != null) {
            lines.get(lines.size() - 1).add(" (edited)", theme.dim());
        }
        return lines;
    }

    /** {@code [busy]} in the status's colour. */
    Line badge(String status) {
        String word = status == null ? "offline" : status;
        return Line.of("[" + word + "]", theme.status(word, theme.plain()));
    }

    /** A person in a list: badge, handle, display name, status text, and whatever else the list says. */
    Line person(String status, String handle, String displayName, String text, String extra) {
        Line line = new Line().add("  ").add(badge(status).toString(), theme.status(status, theme.plain()));
        line.padTo(14).add(handle, theme.nick(handle, false));
        if (displayName != null && !displayName.equals(handle)) {
            line.add(" (" + displayName + ")");
        }
        if (text != null && !text.isBlank()) {
            line.add(" - " + text);
        }
        if (extra != null) {
            line.add("  " + extra, theme.dim());
        }
        return line;
    }
}
