package io.presence.terminal.chat;

import io.presence.terminal.ui.Console;

/** Redraws the status line and the prompt when they changed. Runs on the app thread. */
final class Prompt {

    private final Console console;
    private final Out out;
    private final StatusBar bar;
    private String shown;

    Prompt(Console console, Out out, StatusBar bar) {
        this.console = console;
        this.out = out;
        this.bar = bar;
    }

    void refresh() {
        String text = bar.line(out.theme()) + "\n" + bar.prompt();
        if (!text.equals(shown)) {
            shown = text;
            console.prompt(bar.line(out.theme()).build(), bar.prompt().build());
        }
    }
}
