package io.presence.terminal.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.jline.reader.EndOfFileException;
import org.jline.utils.AttributedString;

/** Standard input and output when they are not a terminal: one line in, plain lines out, no colours, no prompts. */
final class PlainConsole implements Console {

    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final Theme theme = new Theme(false);

    @Override
    public Theme theme() {
        return theme;
    }

    @Override
    public boolean hasStatusLine() {
        return false;
    }

    @Override
    public String ask(String prompt) {
        synchronized (out) {
            out.print(prompt);
            out.flush();
        }
        return next();
    }

    @Override
    public String askSecret(String prompt) {
        return ask(prompt);
    }

    @Override
    public String readChatLine() {
        return next();
    }

    private String next() {
        try {
            String line = in.readLine();
            if (line == null) {
                throw new EndOfFileException();
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void prompt(AttributedString status, AttributedString prompt) {
        // nothing to redraw: the chat prints what matters as lines
    }

    @Override
    public void print(AttributedString line) {
        synchronized (out) {
            out.println(line.toString());
        }
    }

    @Override
    public void onTyped(Runnable hook) {
        // keystrokes are not seen, only whole lines
    }

    @Override
    public void completions(Function<String, List<String>> candidates) {
        // no Tab without a terminal
    }

    @Override
    public int width() {
        return 100;
    }

    @Override
    public void close() {
        out.flush();
    }
}
