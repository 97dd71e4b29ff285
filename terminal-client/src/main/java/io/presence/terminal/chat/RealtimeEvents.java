package io.presence.terminal.chat;

import static io.presence.terminal.chat.ChatClient.ONLINE_CHANNEL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.terminal.api.Wire;
import io.presence.terminal.realtime.Member;
import io.presence.terminal.realtime.Realtime;
import io.presence.terminal.ui.Console;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the realtime connection reports, moved onto the app thread: members, messages and typing of the open view,
 * status changes, activity elsewhere, the connection's state and refused subscriptions.
 */
final class RealtimeEvents implements Realtime.Listener {

    private final Executor app;
    private final Guard guard;
    private final Prompt prompt;
    private final Console console;
    private final Out out;
    private final ObjectMapper json;
    private final Wire.Me me;
    private final StatusBar bar;
    private final Rooms rooms;
    private final Contacts contacts;
    private final PresenceMaps presence;
    private final OpenView view;
    private final Set<String> refusalsShown = new HashSet<>();

    RealtimeEvents(Executor app, Guard guard, Prompt prompt, Console console, Out out, ObjectMapper json, Wire.Me me,
            StatusBar bar, Rooms rooms, Contacts contacts, PresenceMaps presence, OpenView view) {
        this.app = app;
        this.guard = guard;
        this.prompt = prompt;
        this.console = console;
        this.out = out;
        this.json = json;
        this.me = me;
        this.bar = bar;
        this.rooms = rooms;
        this.contacts = contacts;
        this.presence = presence;
        this.view = view;
    }

    /** Hands one of pusher-java-client's callbacks to the app thread. */
    private void later(Runnable action) {
        try {
            app.execute(() -> {
                guard.run(action);
                prompt.refresh();
            });
        } catch (RejectedExecutionException e) {
            // the chat has ended; what the closing connection still reports goes nowhere
        }
    }

    @Override
    public void onSubscribed(String channel, Map<String, Member> members) {
        later(() -> subscribed(channel, members));
    }

    @Override
    public void onMemberAdded(String channel, Member member) {
        later(() -> memberAdded(channel, member));
    }

    @Override
    public void onMemberRemoved(String channel, String userId) {
        later(() -> memberRemoved(channel, userId));
    }

    @Override
    public void onEvent(String channel, String event, String data, String userId) {
        later(() -> {
            try {
                event(channel, event, data, userId);
            } catch (IOException e) {
                out.error("Unreadable " + event + " event: " + e.getMessage());
            }
        });
    }

    @Override
    public void onState(Realtime.State state) {
        later(() -> state(state));
    }

    @Override
    public void onRefused(String channel, String reason, int status) {
        later(() -> refused(channel, reason, status));
    }

    private void subscribed(String channel, Map<String, Member> members) {
        refusalsShown.remove(channel);
        presence.subscribed(channel, members);
        if (channel.equals(ONLINE_CHANNEL) && members.containsKey(me.id())) {
            Member mine = members.get(me.id());
            bar.me(me.handle(), mine.status(), mine.text());
        }
        if (view.shows(channel)) {
            if (view.timeline().target().isRoom()) {
                bar.here(members.size());
            }
            // (re)subscribed: whatever was published before, or while the connection was away, comes from history
            int missed = view.timeline().catchUp();
            if (missed > 0) {
                out.hint("Caught up on " + missed + " message" + (missed == 1 ? "" : "s") + " from history.");
            }
        }
    }

    private void memberAdded(String channel, Member member) {
        presence.added(channel, member);
        hereChanged(channel);
        announce(channel, member.id(), member.name() + (channel.equals(ONLINE_CHANNEL) ? " is online" : " joined"));
    }

    private void memberRemoved(String channel, String userId) {
        String name = presence.nameOf(channel, userId);
        presence.removed(channel, userId);
        hereChanged(channel);
        if (view.shows(channel)) {
            bar.stopTyping(userId);
        }
        announce(channel, userId, name + (channel.equals(ONLINE_CHANNEL) ? " went offline" : " left"));
    }

    private void hereChanged(String channel) {
        if (view.showsRoom(channel)) {
            bar.here(presence.here(channel).size());
        }
    }

    private void event(String channel, String event, String data, String userId) throws IOException {
        boolean open = view.shows(channel);
        Timeline timeline = view.timeline();
        switch (event) {
            case "message" -> {
                Wire.Message message = json.readValue(data, Wire.Message.class);
                if (open) {
                    if (message.author() != null) {
                        bar.stopTyping(message.author().id());
                    }
                    timeline.live(message);
                } else if (!message.system() && message.author() != null && !me.id().equals(message.author().id())) {
                    activity(channel, message);
                }
            }
            case "message_updated" -> {
                if (open) {
                    timeline.edited(json.readValue(data, Wire.Message.class));
                }
            }
            case "message_deleted" -> {
                if (open) {
                    timeline.deleted(json.readValue(data, Wire.Message.class));
                }
            }
            case "client-typing" -> {
                String typist = open && !timeline.target().isRoom() ? timeline.target().id() : userId;
                if (open && typist != null && !typist.equals(me.id())) {
                    String name = presence.nameOf(channel, typist);
                    if (bar.typing(typist, name, System.nanoTime()) && !console.hasStatusLine()) {
                        out.hint(name + " is typing...");
                    }
                }
            }
            case "pusher:member_updated" -> memberUpdated(channel, json.readTree(data));
            default -> {
                // read_cursor: read receipts are the browser's; nothing to show here
            }
        }
    }

    private void activity(String channel, Wire.Message message) {
        String label = rooms.labelOf(channel);
        if (label == null) {
            label = "@" + message.author().handle();
            out.notice("New message from " + message.author().handle() + ": /dm " + message.author().handle());
        }
        bar.activity(label);
    }

    private void memberUpdated(String channel, JsonNode data) {
        String userId = data.path("user_id").asText("");
        Member member = Member.of(userId, data.path("user_info"));
        if (userId.equals(me.id())) {
            bar.me(me.handle(), member.status(), member.text());
            return;
        }
        presence.updated(channel, member);
        announce(channel, userId, member.name() + " is now " + member.status()
                + (member.text() == null ? "" : ": " + member.text()));
    }

    /** Where joins, leaves and status changes are announced from: the open room's channel, else "Online now". */
    private String announcing() {
        Timeline timeline = view.timeline();
        return timeline != null && timeline.target().isRoom() ? timeline.target().channel() : ONLINE_CHANNEL;
    }

    /** Announces only what matters here: people of the open room, or contacts when no room is open. */
    private void announce(String channel, String userId, String text) {
        if (userId.equals(me.id()) || !channel.equals(announcing())) {
            return;
        }
        if (channel.equals(ONLINE_CHANNEL) && !contacts.isContact(userId)) {
            return;
        }
        bar.notice(text, System.nanoTime());
        if (!console.hasStatusLine()) {
            out.notice(text);
        }
    }

    private void state(Realtime.State state) {
        Realtime.State before = bar.connection();
        bar.connection(state);
        if (before == state) {
            return;
        }
        if (state == Realtime.State.CONNECTED && before != Realtime.State.CONNECTING) {
            out.hint("Connected again.");
        } else if (before == Realtime.State.CONNECTED) {
            out.error("Connection lost; reconnecting by itself.");
        }
    }

    /** Says so when the open room's channel is refused for good reasons; passing failures are only retried. */
    private void refused(String channel, String reason, int status) {
        boolean mine = channel.equals(ONLINE_CHANNEL) || view.shows(channel);
        boolean lasting = status == 401 || status == 403 || status == 404;
        if (mine && lasting && refusalsShown.add(channel)) {
            out.error("Live updates for " + (channel.equals(ONLINE_CHANNEL) ? "presence" : view.timeline().target().label())
                    + " were refused (" + reason + "); trying again.");
        }
    }
}
