package io.presence.terminal.chat;

import io.presence.terminal.ui.Console;
import io.presence.terminal.ui.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jline.utils.AttributedString;

/** A console that keeps what is printed, as plain text. */
final class RecordingConsole implements Console {

    final List<String> printed = new ArrayList<>();

    @Override
    public Theme theme() {
        return new Theme(false);
    }

    @Override
    public boolean hasStatusLine() {
        return false;
    }

    @Override
    public String ask(String prompt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String askSecret(String prompt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String readChatLine() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void prompt(AttributedString status, AttributedString prompt) {
    }

    @Override
    public synchronized void print(AttributedString line) {
        printed.add(line.toString());
    }

    @Override
    public void onTyped(Runnable hook) {
    }

    @Override
    public void completions(Function<String, List<String>> candidates) {
    }

    @Override
    public int width() {
        return 100;
    }

    @Override
    public void close() {
    }
}
