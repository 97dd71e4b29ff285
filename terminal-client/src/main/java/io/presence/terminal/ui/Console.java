package io.presence.terminal.ui;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.jline.utils.AttributedString;

/**
 * Where the chat reads lines and prints: a real terminal with line editing and a status line, or plain
 * standard input and output for scripts. Printing is safe from any thread.
 */
public interface Console extends AutoCloseable {

    /** A terminal when standard input and output are one (JLine), else plain lines. */
    static Console open(boolean colorsWanted) throws IOException {
        return System.console() != null ? TerminalConsole.open(colorsWanted) : new PlainConsole();
    }

    Theme theme();

    /** True when a status line is drawn above the input; else the chat prints what it would show there. */
    boolean hasStatusLine();

    /** Asks one question; the answer is kept out of the input history. */
    String ask(String prompt) throws EndOfFileException, UserInterruptException;

    /** Asks for a secret without echoing it. */
    String askSecret(String prompt) throws EndOfFileException, UserInterruptException;

    /** The next line typed in the chat, under the status line and prompt last set by {@link #prompt}. */
    String readChatLine() throws EndOfFileException, UserInterruptException;

    /** The status line and the input prompt; redrawn at once while a line is being typed. */
    void prompt(AttributedString status, AttributedString prompt);

    /** Prints a line above the input. */
    void print(AttributedString line);

    default void print(Line line) {
        print(line.build());
    }

    /** Called on the input thread whenever a character is typed into a line that is not a command. */
    void onTyped(Runnable hook);

    /** Words offered by Tab: the function gets the text before the cursor and answers whole-word candidates. */
    void completions(Function<String, List<String>> candidates);

    /** Terminal width in columns (80 when unknown). */
    int width();

    @Override
    void close();
}
