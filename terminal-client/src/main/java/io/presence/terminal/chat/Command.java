package io.presence.terminal.chat;

import java.util.List;
import java.util.function.Supplier;

/**
 * One row of the command table: the names it answers to (the first one is offered by Tab when {@code listed}), its
 * line in /help ({@code usage} null: none), what Tab offers after it, and what it does ({@code action} null: /quit,
 * which ends the chat instead).
 */
record Command(List<String> names, boolean listed, String usage, String summary, Supplier<List<String>> arguments,
        Action action) {

    /** What a command does, given the name it was typed as and the rest of the line. */
    interface Action {
        void run(String name, String args);
    }

    /** A command listed by Tab, with its /help row (or none when {@code usage} is null) and no arguments to offer. */
    static Command of(List<String> names, String usage, String summary, Action action) {
        return new Command(names, true, usage, summary, List::of, action);
    }

    /** The same command, with the words Tab offers after its names. */
    Command completing(Supplier<List<String>> words) {
        return new Command(names, listed, usage, summary, words, action);
    }

    /** The same command, answering to its names without being offered by Tab. */
    Command unlisted() {
        return new Command(names, false, usage, summary, arguments, action);
    }

    boolean quits() {
        return action == null;
    }
}
