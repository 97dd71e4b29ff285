package io.presence.terminal.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;

/** A real terminal through JLine: line editing, history, Tab completion, and the status line drawn above the input. */
final class TerminalConsole implements Console {

    private final Terminal terminal;
    private final ChatReader reader;
    private final Theme theme;
    private final boolean statusLine;
    private volatile Runnable typedHook = () -> { };
    private volatile Function<String, List<String>> completions = before -> List.of();
    private volatile String chatPrompt = "> ";
    private volatile AttributedString lastStatus = AttributedString.EMPTY;
    private volatile AttributedString lastPrompt = new AttributedString("> ");
    /** Asking the terminal its size runs stty here, so the width is kept and asked again only on SIGWINCH. */
    private volatile int columns;

    private TerminalConsole(Terminal terminal, boolean statusLine, Theme theme) {
        this.terminal = terminal;
        this.statusLine = statusLine;
        this.theme = theme;
        this.columns = terminal.getWidth();
        this.reader = new ChatReader(terminal, this::resized);
        // the typed line is the message: no "!" history expansion, no backslash escapes, no continuation lines
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        reader.setVariable(LineReader.HISTORY_SIZE, 500);
        reader.setCompleter((lineReader, line, candidates) -> {
            String before = line.line().substring(0, Math.min(line.cursor(), line.line().length()));
            for (String word : completions.apply(before)) {
                candidates.add(new Candidate(word));
            }
        });
        Widget selfInsert = reader.getBuiltinWidgets().get(LineReader.SELF_INSERT);
        reader.getWidgets().put(LineReader.SELF_INSERT, () -> {
            boolean handled = selfInsert.apply();
            if (!reader.getBuffer().toString().startsWith("/")) {
                typedHook.run();
            }
            return handled;
        });
    }

    static TerminalConsole open(boolean colorsWanted) throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).encoding(StandardCharsets.UTF_8).build();
        boolean dumb = Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
        Integer colors = terminal.getNumericCapability(Capability.max_colors);
        boolean useColors = colorsWanted && !Terminal.TYPE_DUMB.equals(terminal.getType()) && colors != null && colors >= 8;
        return new TerminalConsole(terminal, !dumb, new Theme(useColors));
    }

    @Override
    public Theme theme() {
        return theme;
    }

    @Override
    public boolean hasStatusLine() {
        return statusLine;
    }

    @Override
    public String ask(String prompt) {
        reader.live(null);
        reader.unsetOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            return reader.readLine(prompt);
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    @Override
    public String askSecret(String prompt) {
        reader.live(null);
        reader.unsetOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
        return reader.readLine(prompt, LineReaderImpl.NULL_MASK);
    }

    @Override
    public String readChatLine() {
        String prompt = chatPrompt;
        reader.live(prompt);
        // the sent line comes back as a message; leaving the typed copy (and the status line) would show it twice
        reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH);
        return reader.readLine(prompt);
    }

    @Override
    public void prompt(AttributedString status, AttributedString prompt) {
        lastStatus = status;
        lastPrompt = prompt;
        chatPrompt = render(status, prompt);
        reader.live(chatPrompt);
    }

    private String render(AttributedString status, AttributedString prompt) {
        String text = prompt.toAnsi(terminal);
        if (statusLine) {
            text = fit(status).toAnsi(terminal) + "\n" + text;
        }
        // JLine expands %-sequences in prompts; user text may hold a '%'
        return text.replace("%", "%%");
    }

    private void resized() {
        columns = terminal.getWidth();
        chatPrompt = render(lastStatus, lastPrompt);
        reader.quietly(chatPrompt);
    }

    /** Exactly one row, cut at the terminal's width; not padded, so a narrower terminal has nothing to wrap. */
    private AttributedString fit(AttributedString status) {
        int room = width() - 1;
        return status.columnLength() > room ? status.columnSubSequence(0, room) : status;
    }

    @Override
    public void print(AttributedString line) {
        reader.printAbove(line);
    }

    @Override
    public void onTyped(Runnable hook) {
        typedHook = hook;
    }

    @Override
    public void completions(Function<String, List<String>> candidates) {
        completions = candidates;
    }

    @Override
    public int width() {
        int width = columns;
        return width > 10 ? width : 80;
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException e) {
            // the terminal is going away with the process
        }
    }
}
