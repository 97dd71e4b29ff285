package io.presence.terminal.ui;

import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;

/**
 * JLine's line reader with a live prompt: the chat's prompt carries the status line, which other threads change
 * while the user types, so it is redrawn in place under the reader's own lock.
 */
final class ChatReader extends LineReaderImpl {

    private final Runnable onResize;
    private volatile String livePrompt;

    /** @param onResize called when the terminal changed size, before the line is redrawn: time to set a new prompt */
    ChatReader(Terminal terminal, Runnable onResize) {
        super(terminal, "presence-chat", null);
        this.onResize = onResize;
    }

    /** Replaces the live prompt, if one is shown, without redrawing: the caller is about to redraw anyway. */
    void quietly(String prompt) {
        if (livePrompt != null) {
            livePrompt = prompt;
            super.setPrompt(prompt);
        }
    }

    @Override
    protected synchronized void handleSignal(Signal signal) {
        if (signal == Signal.WINCH) {
            onResize.run();
        }
        super.handleSignal(signal);
    }

    /** Shows this prompt now if a line is being read, and for every chat line read from now on; null turns it off. */
    void live(String prompt) {
        lock.lock();
        try {
            livePrompt = prompt;
            if (prompt != null) {
                super.setPrompt(prompt);
                if (reading) {
                    // a diff against what is on screen, so a shorter status line clears the rest of the old one
                    redisplay();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** readLine sets the prompt it was given; a live prompt changed since then must win. */
    @Override
    public void setPrompt(String prompt) {
        String live = livePrompt;
        super.setPrompt(live != null ? live : prompt);
    }
}
