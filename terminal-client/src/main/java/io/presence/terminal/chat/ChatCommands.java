package io.presence.terminal.chat;

import io.presence.terminal.realtime.Realtime;
import java.util.List;

/**
 * What a typed line does: the command table (each command's names, /help row, Tab words and action, in one place)
 * and one method per command; a line that is not a command is sent to the open view. Runs on the app thread.
 */
final class ChatCommands {

    private final Out out;
    private final Rooms rooms;
    private final Contacts contacts;
    private final Realtime realtime;
    private final OpenView view;
    private final Subscriptions subscriptions;
    private final Sender sender;
    private final WhoCommand who;
    private final StatusCommand status;
    private final CommandTable table;

    ChatCommands(Out out, Rooms rooms, Contacts contacts, Realtime realtime, OpenView view, Subscriptions subscriptions,
            Sender sender, WhoCommand who, StatusCommand status) {
        this.out = out;
        this.rooms = rooms;
        this.contacts = contacts;
        this.realtime = realtime;
        this.view = view;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.who = who;
        this.status = status;
        this.table = new CommandTable(List.of(
                Command.of(List.of("help", "h", "?"), null, null, (name, args) -> table().help(out)),
                Command.of(List.of("rooms", "list"), "/rooms",
                        "your rooms with unread counts, invitations, public rooms (numbered)", (name, args) -> rooms()),
                Command.of(List.of("join", "j"), "/join NAME|NUMBER",
                        "enter a room; joins a public room or accepts an invitation", (name, args) -> join(args))
                        .completing(subscriptions::roomNames),
                Command.of(List.of("create"), "/create [private] NAME", "create a room and enter it",
                        (name, args) -> rooms.create(args).ifPresent(r -> enter(Target.room(r)))),
                Command.of(List.of("leave", "part", "close"), "/leave", "leave the open room, or close the conversation",
                        (name, args) -> leave()),
                Command.of(List.of("more"), "/more", "older messages of the open room", (name, args) -> more()),
                Command.of(List.of("who", "names"), "/who", "the people here, with status", (name, args) -> who.run()),
                Command.of(List.of("status"), "/status STATUS [TEXT] [for 30m|1h|today]",
                        "online, away, busy or invisible; no text clears it", (name, args) -> status.run(args))
                        .completing(() -> List.copyOf(StatusRequest.STATUSES)),
                Command.of(List.of("away", "busy", "online", "invisible"), null, null,
                        (name, args) -> status.run((name + " " + args).strip())).unlisted(),
                Command.of(List.of("contacts"), "/contacts", "your contacts with status, and contact requests",
                        (name, args) -> contacts()),
                Command.of(List.of("add"), "/add HANDLE", "ask someone to be your contact", (name, args) -> add(args)),
                Command.of(List.of("accept"), "/accept HANDLE, /decline HANDLE", "answer a contact request",
                        (name, args) -> answer(args, true)).completing(subscriptions::handles),
                Command.of(List.of("decline"), null, null, (name, args) -> answer(args, false))
                        .completing(subscriptions::handles),
                Command.of(List.of("dm", "msg", "query"), "/dm HANDLE", "talk with a contact",
                        (name, args) -> contacts.direct(args).ifPresent(this::enter)).completing(subscriptions::handles),
                Command.of(List.of("quit", "exit", "q"), "/quit or Ctrl-D", "leave the chat", null)));
    }

    CommandTable table() {
        return table;
    }

    /** Whether the line ends the chat (/quit). */
    boolean quits(Input input) {
        return input.isCommand() && table.find(input.command()).map(Command::quits).orElse(false);
    }

    /** Runs one typed line that is not /quit: a command, or text for the open view (or a room to enter when none is). */
    void run(Input input) {
        if (!input.isCommand()) {
            if (view.timeline() == null) {
                rooms.enter(input.text()).ifPresent(r -> enter(Target.room(r)));
            } else {
                sender.send(view.timeline(), input.text());
            }
            return;
        }
        table.find(input.command()).ifPresentOrElse(c -> c.action().run(input.command(), input.args()),
                () -> out.error("Unknown command /" + input.command() + ". /help lists the commands."));
    }

    /** Opens a room or conversation: its channel is wanted, the lists refreshed, then its latest messages shown. */
    void enter(Target target) {
        realtime.want(target.channel());
        Timeline timeline = view.open(target);
        subscriptions.refreshLists();
        timeline.open();
    }

    private void rooms() {
        rooms.list();
        subscriptions.updateCompletions();
    }

    private void join(String args) {
        if (args.isEmpty()) {
            rooms.list();
        } else {
            rooms.enter(args).ifPresent(r -> enter(Target.room(r)));
        }
    }

    private void leave() {
        if (view.timeline() == null) {
            out.error("Nothing is open: /leave leaves the open room.");
            return;
        }
        Target target = view.timeline().target();
        view.close();
        if (target.isRoom()) {
            realtime.drop(target.channel());
            rooms.leave(target);
            subscriptions.updateCompletions();
        } else {
            out.info("Closed the conversation with " + target.name() + ".");
        }
        out.hint("/rooms lists the rooms, /join NAME enters one.");
    }

    private void more() {
        if (view.timeline() == null) {
            out.error("/more shows older messages of the open room; enter one first.");
        } else {
            view.timeline().older();
        }
    }

    private void contacts() {
        contacts.list();
        subscriptions.wantDirectChannels();
    }

    private void add(String handle) {
        contacts.add(handle);
        subscriptions.wantDirectChannels();
    }

    private void answer(String handle, boolean accept) {
        contacts.answer(handle, accept);
        subscriptions.wantDirectChannels();
    }
}
