package io.presence.terminal.ui;

import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * JLine's line reader with a live prompt: the chat's prompt carries the status line, which other threads change
 * while the user types, so it is redrawn in place under the reader's own lock.
 */
final class ChatReader extends LineReaderImpl {

    private volatile String livePrompt;

    ChatReader(Terminal terminal) {
        super(terminal, "presence-chat", null);
    }

    /** Shows this prompt now if a line is being read, and for every chat line read from now on; null turns it off. */
    void live(String prompt) {
        lock.lock();
        try {
            livePrompt = prompt;
            if (prompt != null) {
                super.setPrompt(prompt);
                if (reading) {
                    redrawLine();
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
