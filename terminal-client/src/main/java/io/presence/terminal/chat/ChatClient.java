package io.presence.terminal.chat;

import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.realtime.Realtime;
import io.presence.terminal.realtime.SessionAuthorizer;
import io.presence.terminal.ui.Console;
import java.time.ZoneId;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The chat itself: wires its parts and runs the session. Typed lines go to {@link ChatCommands} (the command table),
 * realtime events to {@link RealtimeEvents}; the open view is {@link OpenView}, the members {@link PresenceMaps},
 * the lists and their channels {@link Subscriptions}, sending {@link Sender}, the typing signal {@link Typing}, the
 * timers {@link Polling}. Everything runs on one thread ({@code app}); realtime events and typed lines are handed to
 * it, so no state is shared.
 */
public final class ChatClient {

    /** The app-wide presence channel every logged-in client joins (the browser's "Online now"). */
    public static final String ONLINE_CHANNEL = "presence-online";

    private final SuiteApi api;
    private final Console console;
    private final Out out;
    private final Wire.Me me;
    private final StatusBar bar = new StatusBar();
    private final Rooms rooms;
    private final Realtime realtime;
    private final Guard guard;
    private final Prompt prompt;
    private final Typing typing;
    private final Subscriptions subscriptions;
    private final ChatCommands commands;
    private final Polling polling;

    public ChatClient(SuiteApi api, Console console, Wire.Me me, ScheduledExecutorService app, String appKey) {
        this.api = api;
        this.console = console;
        this.out = new Out(console);
        this.me = me;
        Render render = new Render(console.theme(), ZoneId.systemDefault(), me.id());
        this.rooms = new Rooms(api, out);
        Contacts contacts = new Contacts(api, out, render, me);
        PresenceMaps presence = new PresenceMaps(contacts);
        OpenView view = new OpenView(api, out, render, app, bar, presence);
        this.guard = new Guard(out);
        this.prompt = new Prompt(console, out, bar);
        RealtimeEvents events = new RealtimeEvents(app, guard, prompt, console, out, api.json(), me, bar, rooms, contacts,
                presence, view);
        this.realtime = new Realtime(api.base(), appKey, new SessionAuthorizer(api), events, app, api.json());
        this.typing = new Typing(realtime, view);
        this.subscriptions = new Subscriptions(rooms, contacts, realtime, view, out, me.id());
        Sender sender = new Sender(api, out, app, view, prompt);
        this.commands = new ChatCommands(out, rooms, contacts, realtime, view, subscriptions, sender,
                new WhoCommand(api, out, render, me, bar, contacts, presence, view),
                new StatusCommand(api, out, render, me, bar));
        this.polling = new Polling(app, guard, bar, subscriptions, prompt);
    }

    /** Connects, subscribes, and opens the given room (or prints the room list). Runs on the app thread. */
    public void start(String room) {
        bar.me(me.handle(), "online", "");
        console.onTyped(typing::typed);
        console.completions(commands.table()::complete);
        realtime.connect();
        realtime.want(ONLINE_CHANNEL);
        out.info("Logged in as " + me.handle() + " at " + api.base() + ". /help lists the commands; /quit or Ctrl-D leaves.");
        guard.run(subscriptions::refreshLists);
        if (room != null && !room.isBlank()) {
            guard.run(() -> rooms.enter(room).ifPresentOrElse(r -> commands.enter(Target.room(r)), rooms::list));
        } else {
            guard.run(rooms::list);
        }
        prompt.refresh();
        polling.start();
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
        if (commands.quits(input)) {
            return false;
        }
        guard.run(() -> commands.run(input));
        prompt.refresh();
        return true;
    }
}
