package io.presence.terminal.chat;

import io.presence.terminal.ui.Line;
import java.util.List;
import java.util.Optional;

/** The commands, in the order /help shows them: looked up by any of their names, listed by /help and by Tab. */
final class CommandTable {

    private final List<Command> commands;
    private final List<String> listed;

    CommandTable(List<Command> commands) {
        this.commands = List.copyOf(commands);
        this.listed = commands.stream().filter(Command::listed).map(c -> "/" + c.names().get(0)).sorted().toList();
    }

    Optional<Command> find(String name) {
        return commands.stream().filter(c -> c.names().contains(name)).findFirst();
    }

    /** The /help text: one row per command that has one. */
    void help(Out out) {
        out.section("Commands (Tab completes them)");
        for (Command command : commands) {
            if (command.usage() != null) {
                out.line(new Line().add("  " + command.usage(), out.theme().bold()).padTo(44).add(command.summary()));
            }
        }
        out.hint("Anything else is sent to the open room; start a line with // to send one that begins with /.");
    }

    /** What Tab offers for the line typed so far: the commands, or the words a command takes (one-word ones). */
    List<String> complete(String before) {
        if (!before.startsWith("/")) {
            return List.of();
        }
        int space = before.indexOf(' ');
        if (space < 0) {
            return listed;
        }
        List<String> words = find(before.substring(1, space).toLowerCase()).map(c -> c.arguments().get()).orElse(List.of());
        return words.stream().filter(w -> !w.contains(" ")).toList();
    }
}
