package io.presence.terminal.chat;

import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.ui.Line;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The open room or conversation: its last 100 messages, older pages on {@code /more}, live ones, and after a
 * reconnect the ones it missed, read back from history. Every message is printed once, whichever way it came.
 */
final class Timeline {

    private static final int PAGE = 100;
    /** How far back a catch-up reads before it gives up on closing the gap (10 pages of 100). */
    private static final int CATCH_UP_PAGES = 10;

    private final Target target;
    private final SuiteApi api;
    private final Out out;
    private final Render render;
    private final Executor app;
    private final Set<String> printed = new HashSet<>();
    private String newest;
    /** Everything up to this id was shown: history and the channel's in-order events move it, a send's answer not. */
    private String synced;
    private String nextBefore;
    private LocalDate lastDay;
    private String readCursor = "0";
    private boolean cursorMoving;
    private boolean closed;

    Timeline(Target target, SuiteApi api, Out out, Render render, Executor app) {
        this.target = target;
        this.api = api;
        this.out = out;
        this.render = render;
        this.app = app;
    }

    Target target() {
        return target;
    }

    static int compareIds(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    /** Prints the heading and the latest page. */
    void open() {
        String topic = target.topic() == null || target.topic().isBlank() ? "" : ": " + target.topic();
        out.section(target.label() + topic);
        Wire.MessagePage page = page(null);
        nextBefore = page.nextBefore();
        if (page.messages().isEmpty()) {
            out.hint("No messages yet. Type to write the first one.");
        }
        page.messages().forEach(this::show);
        synced = newest;
        if (nextBefore != null) {
            out.hint("Older messages: /more");
        }
        markRead();
    }

    void close() {
        closed = true;
    }

    /** A message event of the channel: printed unless it was already. */
    void live(Wire.Message message) {
        if (message.id() != null && (synced == null || compareIds(message.id(), synced) > 0)) {
            synced = message.id();
        }
        if (show(message)) {
            markRead();
        }
    }

    /** The answer to my own send, which may come while the channel is away: printed, but it closes no gap. */
    void sent(Wire.Message message) {
        if (show(message)) {
            markRead();
        }
    }

    void edited(Wire.Message message) {
        if (message.id() != null && printed.contains(message.id()) && message.author() != null) {
            out.line(Line.of("* " + message.author().handle() + " edited a message: ", render.theme().dim())
                    .add(message.text() == null ? "" : message.text()));
        }
    }

    void deleted(Wire.Message message) {
        if (message.id() != null && printed.contains(message.id()) && message.author() != null) {
            out.line(Line.of("* " + message.author().handle() + " deleted a message", render.theme().dim()));
        }
    }

    /** Reads back from history what the channel may have missed (after a reconnect); returns how many were new. */
    int catchUp() {
        List<Wire.Message> missing = new ArrayList<>();
        String before = null;
        for (int i = 0; i < CATCH_UP_PAGES; i++) {
            Wire.MessagePage page = page(before);
            boolean reached = synced == null;
            for (Wire.Message message : page.messages()) {
                if (synced != null && compareIds(message.id(), synced) <= 0) {
                    reached = true;
                } else if (!printed.contains(message.id())) {
                    missing.add(message);
                }
            }
            if (reached || page.nextBefore() == null) {
                break;
            }
            before = page.nextBefore();
        }
        missing.sort(Comparator.comparing(Wire.Message::id, Timeline::compareIds));
        missing.forEach(this::show);
        if (newest != null && (synced == null || compareIds(newest, synced) > 0)) {
            synced = newest;
        }
        markRead();
        return missing.size();
    }

    /** {@code /more}: the page before the oldest one shown, printed as a block of its own. */
    void older() {
        if (nextBefore == null) {
            out.hint("No older messages in " + target.label() + ".");
            return;
        }
        Wire.MessagePage page = page(nextBefore);
        nextBefore = page.nextBefore();
        LocalDate day = lastDay;
        lastDay = null;
        out.hint("--- " + page.messages().size() + " older messages ---");
        page.messages().forEach(this::show);
        out.hint("--- end of older messages" + (nextBefore == null ? ", that was the first ---" : "; more: /more ---"));
        lastDay = day;
    }

    private Wire.MessagePage page(String before) {
        String query = "?limit=" + PAGE + (before == null ? "" : "&before=" + SuiteApi.segment(before));
        return api.get(target.basePath() + "/messages" + query, Wire.MessagePage.class);
    }

    private boolean show(Wire.Message message) {
        if (message.id() == null || !printed.add(message.id())) {
            return false;
        }
        LocalDate day = Times.day(Times.parse(message.createdAt()), render.zone());
        if (day != null && lastDay != null && !day.equals(lastDay)) {
            out.hint("--- " + Times.dayName(day) + " ---");
        }
        if (day != null && (lastDay == null || day.isAfter(lastDay))) {
            lastDay = day;
        }
        render.message(message).forEach(out::line);
        if (newest == null || compareIds(message.id(), newest) > 0) {
            newest = message.id();
        }
        return true;
    }

    /** Moves my read cursor to the newest message shown, one request at a time. */
    private void markRead() {
        if (closed || cursorMoving || newest == null || compareIds(newest, readCursor) <= 0) {
            return;
        }
        String id = newest;
        cursorMoving = true;
        api.callAsync("PUT", target.basePath() + "/cursor", Map.of("messageId", id), Void.class)
                .whenCompleteAsync((ok, failure) -> {
                    // a failed move is not retried: the next message moves the cursor past it anyway
                    cursorMoving = false;
                    readCursor = id;
                    markRead();
                }, app);
    }
}
