package io.presence.terminal.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.terminal.api.ApiException;
import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.realtime.Member;
import io.presence.terminal.realtime.Realtime;
import io.presence.terminal.realtime.SessionAuthorizer;
import io.presence.terminal.ui.Console;
import io.presence.terminal.ui.Line;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chat itself: commands, the open room or conversation, presence and status, typing both ways. Everything runs
 * on one thread ({@code app}); realtime events and typed lines are handed to it, so no state is shared.
 */
public final class ChatClient {

    /** The app-wide presence channel every logged-in client joins (the browser's "Online now"). */
    public static final String ONLINE_CHANNEL = "presence-online";
    private static final long TYPING_SEND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SEND_ATTEMPTS = 5;
    private static final int MAX_TEXT = 4000;
    private static final long POLL_SECONDS = 20;
    private static final List<String> COMMANDS = List.of("/accept", "/add", "/contacts", "/create", "/decline", "/dm",
            "/help", "/join", "/leave", "/more", "/quit", "/rooms", "/status", "/who");

    private final SuiteApi api;
    private final Console console;
    private final Out out;
    private final Wire.Me me;
    private final ScheduledExecutorService app;
    private final Render render;
    private final Realtime realtime;
    private final StatusBar bar = new StatusBar();
    private final Rooms rooms;
    private final Contacts contacts;
    private final Map<String, Map<String, Member>> presence = new HashMap<>();
    private final Set<String> refusalsShown = new HashSet<>();
    private Timeline timeline;
    private String shownStatus;
    private volatile String typingChannel;
    private volatile long lastTypingSent = System.nanoTime() - TYPING_SEND_NANOS;
    private volatile List<String> roomNames = List.of();
    private volatile List<String> handles = List.of();

    public ChatClient(SuiteApi api, Console console, Wire.Me me, ScheduledExecutorService app, String appKey) {
        this.api = api;
        this.console = console;
        this.out = new Out(console);
        this.me = me;
        this.app = app;
        this.render = new Render(console.theme(), ZoneId.systemDefault(), me.id());
        this.rooms = new Rooms(api, out);
        this.contacts = new Contacts(api, out, render, me);
        this.realtime = new Realtime(api.base(), appKey, new SessionAuthorizer(api), new Events(), app, api.json());
    }

    /** Connects, subscribes, and opens the given room (or prints the room list). Runs on the app thread. */
    public void start(String room) {
        bar.me(me.handle(), "online", "");
        console.onTyped(this::typed);
        console.completions(this::complete);
        realtime.connect();
        realtime.want(ONLINE_CHANNEL);
        out.info("Logged in as " + me.handle() + " at " + api.base() + ". /help lists the commands; /quit or Ctrl-D leaves.");
        guarded(this::refreshLists);
        if (room != null && !room.isBlank()) {
            guarded(() -> rooms.enter(room).ifPresentOrElse(r -> enter(Target.room(r)), rooms::list));
        } else {
            guarded(rooms::list);
        }
        refresh();
        app.scheduleWithFixedDelay(() -> guarded(this::expire), 250, 250, TimeUnit.MILLISECONDS);
        app.scheduleWithFixedDelay(() -> guarded(this::poll), POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    /** Disconnects and ends the session. Runs on the app thread. */
    public void stop() {
        realtime.close();
        api.logout();
    }

    /** One typed line; false when the user asked to quit. Runs on the app thread. */
    public boolean handle(String line) {
        Input input = Input.parse(line);
        if (input.isBlank()) {
            return true;
        }
        if (input.isCommand() && List.of("quit", "exit", "q").contains(input.command())) {
            return false;
        }
        guarded(() -> dispatch(input));
        refresh();
        return true;
    }

    private void dispatch(Input input) {
        if (!input.isCommand()) {
            if (timeline == null) {
                rooms.enter(input.text()).ifPresent(r -> enter(Target.room(r)));
            } else {
                send(timeline, input.text());
            }
            return;
        }
        String args = input.args();
        switch (input.command()) {
            case "help", "h", "?" -> help();
            case "rooms", "list" -> {
                rooms.list();
                updateCompletions();
            }
            case "join", "j" -> {
                if (args.isEmpty()) {
                    rooms.list();
                } else {
                    rooms.enter(args).ifPresent(r -> enter(Target.room(r)));
                }
            }
            case "create" -> rooms.create(args).ifPresent(r -> enter(Target.room(r)));
            case "leave", "part", "close" -> leave();
            case "more" -> {
                if (timeline == null) {
                    out.error("/more shows older messages of the open room; enter one first.");
                } else {
                    timeline.older();
                }
            }
            case "who", "names" -> who();
            case "status", "away", "busy", "online", "invisible" -> status(input.command().equals("status") ? args
                    : (input.command() + " " + args).strip());
            case "contacts" -> {
                contacts.list();
                wantDirectChannels();
            }
            case "add" -> {
                contacts.add(args);
                wantDirectChannels();
            }
            case "accept", "decline" -> {
                contacts.answer(args, input.command().equals("accept"));
                wantDirectChannels();
            }
            case "dm", "msg", "query" -> contacts.direct(args).ifPresent(this::enter);
            default -> out.error("Unknown command /" + input.command() + ". /help lists the commands.");
        }
    }

    private void help() {
        out.section("Commands (Tab completes them)");
        String[][] rows = {
            {"/rooms", "your rooms with unread counts, invitations, public rooms (numbered)"},
            {"/join NAME|NUMBER", "enter a room; joins a public room or accepts an invitation"},
            {"/create [private] NAME", "create a room and enter it"},
            {"/leave", "leave the open room, or close the conversation"},
            {"/more", "older messages of the open room"},
            {"/who", "the people here, with status"},
            {"/status STATUS [TEXT] [for 30m|1h|today]", "online, away, busy or invisible; no text clears it"},
            {"/contacts", "your contacts with status, and contact requests"},
            {"/add HANDLE", "ask someone to be your contact"},
            {"/accept HANDLE, /decline HANDLE", "answer a contact request"},
            {"/dm HANDLE", "talk with a contact"},
            {"/quit or Ctrl-D", "leave the chat"},
        };
        for (String[] row : rows) {
            out.line(new Line().add("  " + row[0], out.theme().bold()).padTo(44).add(row[1]));
        }
        out.hint("Anything else is sent to the open room; start a line with // to send one that begins with /.");
    }

    // ---- the open room or conversation

    private void enter(Target target) {
        if (timeline != null) {
            timeline.close();
        }
        realtime.want(target.channel());
        timeline = new Timeline(target, api, out, render, app);
        typingChannel = target.channel();
        bar.view(target.label());
        Map<String, Member> here = presence.get(target.channel());
        if (target.isRoom() && here != null) {
            bar.here(here.size());
        }
        refreshLists();
        timeline.open();
    }

    private void closeView() {
        if (timeline != null) {
            timeline.close();
        }
        timeline = null;
        typingChannel = null;
        bar.view(null);
    }

    private void leave() {
        if (timeline == null) {
            out.error("Nothing is open: /leave leaves the open room.");
            return;
        }
        Target target = timeline.target();
        closeView();
        if (target.isRoom()) {
            realtime.drop(target.channel());
            rooms.leave(target);
            updateCompletions();
        } else {
            out.info("Closed the conversation with " + target.name() + ".");
        }
        out.hint("/rooms lists the rooms, /join NAME enters one.");
    }

    /** Sends with a fresh idempotency key, retried with the same key when the answer is lost or the backend is away. */
    private void send(Timeline view, String text) {
        if (text.length() > MAX_TEXT) {
            out.error("A message has at most 4,000 characters; this one has " + text.length() + ".");
            return;
        }
        deliver(view, text, UUID.randomUUID().toString(), 1, 500);
    }

    private void deliver(Timeline view, String text, String clientMessageId, int attempt, long delayMillis) {
        api.callAsync("POST", view.target().basePath() + "/messages", Map.of("text", text, "clientMessageId", clientMessageId),
                        Wire.Message.class)
                .whenCompleteAsync((message, failure) -> {
                    if (failure == null) {
                        if (view == timeline) {
                            view.sent(message);
                        }
                        return;
                    }
                    ApiException e = failure instanceof CompletionException && failure.getCause() instanceof ApiException a
                            ? a : new ApiException(0, String.valueOf(failure.getMessage()), null);
                    if (e.retriable() && attempt < SEND_ATTEMPTS) {
                        app.schedule(() -> deliver(view, text, clientMessageId, attempt + 1, Math.min(delayMillis * 2, 5000)),
                                delayMillis, TimeUnit.MILLISECONDS);
                        return;
                    }
                    out.error("Not sent to " + view.target().label() + " (" + describe(e) + "): " + text);
                    refresh();
                }, app);
    }

    /** Called on the input thread for each typed character: one client-typing a second at most, as the browser does. */
    private void typed() {
        String channel = typingChannel;
        long now = System.nanoTime();
        if (channel == null || now - lastTypingSent < TYPING_SEND_NANOS) {
            return;
        }
        lastTypingSent = now;
        realtime.trigger(channel, "client-typing", "{}");
    }

    // ---- presence and status

    private void who() {
        if (timeline == null) {
            contacts.list();
            return;
        }
        Target target = timeline.target();
        Map<String, String> people = new LinkedHashMap<>();
        if (target.isRoom()) {
            api.get(target.basePath() + "/members", Wire.MemberList.class).members()
                    .forEach(m -> people.put(m.userId(), m.handle()));
        } else {
            people.put(me.id(), me.handle());
            people.put(target.id(), target.name());
        }
        Map<String, Wire.Presence> status = contacts.presence(new ArrayList<>(people.keySet()));
        Map<String, Member> here = presence.getOrDefault(target.channel(), Map.of());
        out.section("People in " + target.label());
        Instant now = Instant.now();
        people.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, String> e) -> !e.getKey().equals(me.id()))
                        .thenComparing(e -> status.get(e.getKey()) == null || !status.get(e.getKey()).online())
                        .thenComparing(Map.Entry::getValue))
                .forEach(e -> {
                    String id = e.getKey();
                    Member member = here.get(id);
                    String name = member != null ? member.displayName() : null;
                    if (id.equals(me.id())) {
                        out.line(render.person(bar.myStatus(), e.getValue(), me.displayName(), bar.myText(), "(you)"));
                        return;
                    }
                    Wire.Presence p = status.get(id);
                    boolean online = p != null && p.online();
                    String extra = online || p == null ? null : Contacts.lastSeen(p, now);
                    out.line(render.person(online ? p.status() : "offline", e.getValue(), name, online ? p.text() : null, extra));
                });
    }

    private void status(String args) {
        if (args.isBlank()) {
            out.info("You are " + bar.myStatus() + (bar.myText().isEmpty() ? "" : ": " + bar.myText()) + ". Change it with "
                    + StatusRequest.USAGE);
            return;
        }
        StatusRequest request;
        try {
            request = StatusRequest.parse(args, ZonedDateTime.now());
        } catch (IllegalArgumentException e) {
            out.error(e.getMessage());
            return;
        }
        Wire.StatusAnswer answer = api.put("/api/presence/users/" + me.id() + "/status", request.body(), Wire.StatusAnswer.class);
        String text = answer.text() == null ? "" : answer.text();
        bar.me(me.handle(), answer.status(), text);
        Instant until = Times.parse(answer.expiresAt());
        String expiry = until == null || until.toEpochMilli() == 0 ? ""
                : " until " + Times.clock(until, render.zone())
                        + (Times.day(until, render.zone()).equals(Times.day(Instant.now(), render.zone())) ? "" : " tomorrow");
        out.info("You are now " + answer.status() + (text.isEmpty() ? "" : ": " + text) + expiry
                + ("invisible".equals(answer.status()) ? " (others see you offline)" : "") + ".");
    }

    /** Where joins, leaves and status changes are announced from: the open room's channel, else "Online now". */
    private String announcing() {
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

    private String nameOf(String channel, String userId) {
        Member member = presence.getOrDefault(channel, Map.of()).get(userId);
        if (member != null) {
            return member.name();
        }
        Member online = presence.getOrDefault(ONLINE_CHANNEL, Map.of()).get(userId);
        if (online != null) {
            return online.name();
        }
        return contacts.byId(userId).map(Wire.User::handle).orElse("user " + userId);
    }

    // ---- lists, subscriptions, the status line

    private void refreshLists() {
        rooms.refresh().forEach(r -> announceNews("You are invited to #" + r.name() + ": /join " + r.name()));
        contacts.refresh().forEach(this::announceNews);
        for (Wire.MyRoom room : rooms.mine()) {
            realtime.want(room.room().channel());
        }
        wantDirectChannels();
        updateCompletions();
    }

    private void announceNews(String text) {
        out.notice(text);
    }

    /** Every contact's direct channel, for live messages and activity; channels of former contacts are dropped. */
    private void wantDirectChannels() {
        Set<String> wanted = new HashSet<>();
        for (Wire.User contact : contacts.all()) {
            wanted.add(Contacts.directChannel(me.id(), contact.id()));
        }
        wanted.forEach(realtime::want);
        Set<String> rooms = new HashSet<>();
        this.rooms.mine().forEach(r -> rooms.add(r.room().channel()));
        for (String channel : realtime.wanted()) {
            boolean stale = channel.startsWith("private-dm-") ? !wanted.contains(channel)
                    : channel.startsWith("presence-room-") && !rooms.contains(channel);
            if (stale && (timeline == null || !channel.equals(timeline.target().channel()))) {
                realtime.drop(channel);
            }
        }
        updateCompletions();
    }

    private void updateCompletions() {
        roomNames = rooms.names();
        handles = contacts.handles();
    }

    /** Every 20 s: requests and invitations have no live events, so they are fetched (as the browser does). */
    private void poll() {
        if (bar.connection() == Realtime.State.CONNECTED) {
            refreshLists();
            refresh();
        }
    }

    private void expire() {
        if (bar.expire(System.nanoTime())) {
            refresh();
        }
    }

    /** Redraws the status line and prompt when they changed. */
    private void refresh() {
        String text = bar.line(out.theme()) + "\n" + bar.prompt();
        if (!text.equals(shownStatus)) {
            shownStatus = text;
            console.prompt(bar.line(out.theme()).build(), bar.prompt().build());
        }
    }

    private List<String> complete(String before) {
        if (!before.startsWith("/")) {
            return List.of();
        }
        int space = before.indexOf(' ');
        if (space < 0) {
            return COMMANDS;
        }
        List<String> words = switch (before.substring(1, space).toLowerCase()) {
            case "join", "j" -> roomNames;
            case "dm", "msg", "query", "accept", "decline" -> handles;
            case "status" -> List.copyOf(StatusRequest.STATUSES);
            default -> List.of();
        };
        return words.stream().filter(w -> !w.contains(" ")).toList();
    }

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            out.error(describe(e));
        } catch (RuntimeException e) {
            out.error("Something went wrong: " + e);
        }
    }

    private static String describe(ApiException e) {
        if (e.status() == 401) {
            return "Your session has ended: start the chat again to log in.";
        }
        if (e.status() == 429) {
            return e.getMessage() + e.retryAfter().map(d -> " (try again in " + d.toSeconds() + " s)").orElse("");
        }
        return e.getMessage();
    }

    // ---- realtime events, moved onto the app thread

    private void onSubscribed(String channel, Map<String, Member> members) {
        refusalsShown.remove(channel);
        presence.put(channel, new LinkedHashMap<>(members));
        if (channel.equals(ONLINE_CHANNEL) && members.containsKey(me.id())) {
            Member mine = members.get(me.id());
            bar.me(me.handle(), mine.status(), mine.text());
        }
        if (timeline != null && channel.equals(timeline.target().channel())) {
            if (timeline.target().isRoom()) {
                bar.here(members.size());
            }
            // (re)subscribed: whatever was published before, or while the connection was away, comes from history
            int missed = timeline.catchUp();
            if (missed > 0) {
                out.hint("Caught up on " + missed + " message" + (missed == 1 ? "" : "s") + " from history.");
            }
        }
    }

    private void onMemberAdded(String channel, Member member) {
        Map<String, Member> members = presence.computeIfAbsent(channel, c -> new LinkedHashMap<>());
        members.put(member.id(), member);
        hereChanged(channel);
        announce(channel, member.id(), member.name() + (channel.equals(ONLINE_CHANNEL) ? " is online" : " joined"));
    }

    private void onMemberRemoved(String channel, String userId) {
        String name = nameOf(channel, userId);
        Map<String, Member> members = presence.get(channel);
        if (members != null) {
            members.remove(userId);
        }
        hereChanged(channel);
        if (timeline != null && channel.equals(timeline.target().channel())) {
            bar.stopTyping(userId);
        }
        announce(channel, userId, name + (channel.equals(ONLINE_CHANNEL) ? " went offline" : " left"));
    }

    private void hereChanged(String channel) {
        if (timeline != null && timeline.target().isRoom() && channel.equals(timeline.target().channel())) {
            bar.here(presence.getOrDefault(channel, Map.of()).size());
        }
    }

    private void onEvent(String channel, String event, String data, String userId) throws IOException {
        boolean open = timeline != null && channel.equals(timeline.target().channel());
        switch (event) {
            case "message" -> {
                Wire.Message message = api.json().readValue(data, Wire.Message.class);
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
                    timeline.edited(api.json().readValue(data, Wire.Message.class));
                }
            }
            case "message_deleted" -> {
                if (open) {
                    timeline.deleted(api.json().readValue(data, Wire.Message.class));
                }
            }
            case "client-typing" -> {
                String typist = open && !timeline.target().isRoom() ? timeline.target().id() : userId;
                if (open && typist != null && !typist.equals(me.id())) {
                    String name = nameOf(channel, typist);
                    if (bar.typing(typist, name, System.nanoTime()) && !console.hasStatusLine()) {
                        out.hint(name + " is typing...");
                    }
                }
            }
            case "pusher:member_updated" -> memberUpdated(channel, api.json().readTree(data));
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
        Map<String, Member> members = presence.get(channel);
        if (members != null && members.containsKey(userId)) {
            members.put(userId, member);
        }
        announce(channel, userId, member.name() + " is now " + member.status()
                + (member.text() == null ? "" : ": " + member.text()));
    }

    private void onState(Realtime.State state) {
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
    private void onRefused(String channel, String reason, int status) {
        boolean mine = channel.equals(ONLINE_CHANNEL) || (timeline != null && channel.equals(timeline.target().channel()));
        boolean lasting = status == 401 || status == 403 || status == 404;
        if (mine && lasting && refusalsShown.add(channel)) {
            out.error("Live updates for " + (channel.equals(ONLINE_CHANNEL) ? "presence" : timeline.target().label())
                    + " were refused (" + reason + "); trying again.");
        }
    }

    /** Hands pusher-java-client's callbacks to the app thread. */
    private final class Events implements Realtime.Listener {

        private void later(Runnable action) {
            try {
                app.execute(() -> {
                    guarded(action);
                    refresh();
                });
            } catch (RejectedExecutionException e) {
                // the chat has ended; what the closing connection still reports goes nowhere
            }
        }

        @Override
        public void onState(Realtime.State state) {
            later(() -> ChatClient.this.onState(state));
        }

        @Override
        public void onSubscribed(String channel, Map<String, Member> members) {
            later(() -> ChatClient.this.onSubscribed(channel, members));
        }

        @Override
        public void onMemberAdded(String channel, Member member) {
            later(() -> ChatClient.this.onMemberAdded(channel, member));
        }

        @Override
        public void onMemberRemoved(String channel, String userId) {
            later(() -> ChatClient.this.onMemberRemoved(channel, userId));
        }

        @Override
        public void onEvent(String channel, String event, String data, String userId) {
            later(() -> {
                try {
                    ChatClient.this.onEvent(channel, event, data, userId);
                } catch (IOException e) {
                    out.error("Unreadable " + event + " event: " + e.getMessage());
                }
            });
        }

        @Override
        public void onRefused(String channel, String reason, int status) {
            later(() -> ChatClient.this.onRefused(channel, reason, status));
        }
    }
}
