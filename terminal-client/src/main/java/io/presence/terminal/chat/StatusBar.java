package io.presence.terminal.chat;

import io.presence.terminal.realtime.Realtime;
import io.presence.terminal.ui.Line;
import io.presence.terminal.ui.Theme;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedStyle;

/**
 * What the status line shows: the connection, my status, the open room, who is typing there, the latest
 * announcement (joins, leaves, status changes) and activity in other rooms and conversations.
 */
final class StatusBar {

    /** As the browser client: a typist is shown until 1.5 s pass without another client-typing. */
    static final long TYPING_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final long NOTICE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Typist(String name, long until) {
    }

    private Realtime.State connection = Realtime.State.CONNECTING;
    private String me = "";
    private String myStatus = "online";
    private String myText = "";
    private String view;
    private int here = -1;
    private final Map<String, Typist> typing = new LinkedHashMap<>();
    private String notice;
    private long noticeUntil;
    private final Map<String, Integer> activity = new LinkedHashMap<>();

    void connection(Realtime.State state) {
        connection = state;
    }

    Realtime.State connection() {
        return connection;
    }

    void me(String handle, String status, String text) {
        me = handle;
        myStatus = status == null ? "online" : status;
        myText = text == null ? "" : text;
    }

    String myStatus() {
        return myStatus;
    }

    String myText() {
        return myText;
    }

    /** The open room or conversation ({@code #tea}, {@code @bob}), null in the room list; forgets its typists. */
    void view(String label) {
        view = label;
        here = -1;
        typing.clear();
        if (label != null) {
            activity.remove(label);
        }
    }

    void here(int members) {
        here = members;
    }

    /** Someone typed; true when they were not shown as typing already. */
    boolean typing(String userId, String name, long now) {
        return typing.put(userId, new Typist(name, now + TYPING_NANOS)) == null;
    }

    boolean stopTyping(String userId) {
        return typing.remove(userId) != null;
    }

    void notice(String text, long now) {
        notice = text;
        noticeUntil = now + NOTICE_NANOS;
    }

    void activity(String label) {
        activity.merge(label, 1, Integer::sum);
    }

    /** Drops typists and the announcement whose time is over; true when the line changed. */
    boolean expire(long now) {
        boolean changed = typing.values().removeIf(t -> now - t.until() >= 0);
        if (notice != null && now - noticeUntil >= 0) {
            notice = null;
            changed = true;
        }
        return changed;
    }

    /** "bob is typing...", "bob and carl are typing...", or null. */
    String typingText() {
        List<String> names = typing.values().stream().map(Typist::name).toList();
        if (names.isEmpty()) {
            return null;
        }
        if (names.size() == 1) {
            return names.get(0) + " is typing...";
        }
        if (names.size() <= 3) {
            return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)
                    + " are typing...";
        }
        return names.size() + " people are typing...";
    }

    Line line(Theme theme) {
        AttributedStyle bar = theme.bar();
        Line line = Line.of("[" + connectionText() + "] " + me + " (", bar)
                .add(myStatus, theme.status(myStatus, bar))
                .add((myText.isEmpty() ? "" : ": " + myText) + ")", bar);
        line.add(" | " + (view == null ? "room list: /join NAME, /help" : view + (here >= 0 ? ", " + here + " here" : "")), bar);
        String typists = typingText();
        if (typists != null) {
            line.add(" | " + typists, bar);
        }
        if (notice != null) {
            line.add(" | " + notice, bar);
        }
        if (!activity.isEmpty()) {
            List<String> counts = new ArrayList<>();
            activity.forEach((label, count) -> counts.add(label + " " + count));
            line.add(" | act: " + String.join(", ", counts), bar);
        }
        return line.add(" ", bar);
    }

    Line prompt() {
        return Line.of((view == null ? "" : view) + "> ", AttributedStyle.DEFAULT);
    }

    private String connectionText() {
        return switch (connection) {
            case CONNECTING -> "connecting...";
            case CONNECTED -> "connected";
            case RECONNECTING -> "reconnecting...";
            case OFFLINE -> "offline, retrying";
        };
    }
}
