package io.presence.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A terminal program in a pseudo-terminal of its own tmux server: keys typed with {@code send-keys}, the screen and
 * its scrollback read with {@code capture-pane}, exactly as a person would see them. Closing kills that server only.
 */
final class TmuxTerminal implements AutoCloseable {

    private static final String EXITED = "[program exited with ";

    private final String socket = "presence-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> environment;

    private TmuxTerminal(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Whether tmux is installed (.ci/run installs it). */
    static boolean available() {
        try {
            Process process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Runs {@code command} in a {@code columns} x {@code rows} pane with these environment variables; when it exits
     * the pane stays, showing {@code [program exited with N]}.
     */
    static TmuxTerminal start(List<String> command, Map<String, String> environment, int columns, int rows) throws Exception {
        TmuxTerminal terminal = new TmuxTerminal(environment);
        StringBuilder shell = new StringBuilder();
        for (String word : command) {
            shell.append(quote(word)).append(' ');
        }
        shell.append("; echo \"").append(EXITED).append("$?]\"; exec sleep 600");
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", "it", "-x", Integer.toString(columns),
                "-y", Integer.toString(rows)));
        environment.forEach((name, value) -> args.addAll(List.of("-e", name + "=" + value)));
        args.add(shell.toString());
        terminal.tmux(args.toArray(String[]::new));
        // a test JVM stopped early must not leave the program running
        Runtime.getRuntime().addShutdownHook(new Thread(terminal::close));
        return terminal;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    /** Types text as it is, character by character, without Enter. */
    void type(String text) throws Exception {
        tmux("send-keys", "-t", "it", "-l", text);
    }

    /** Presses keys by tmux's names: {@code Enter}, {@code C-d}, ... */
    void press(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "it"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Types a line and presses Enter. */
    void line(String text) throws Exception {
        type(text);
        press("Enter");
    }

    /** The visible screen, wrapped lines joined. */
    String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", "it");
    }

    /** The scrollback and the screen, wrapped lines joined. */
    String history() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "it");
    }

    /** The same with the terminal's colours and attributes as escape sequences. */
    String historyWithAttributes() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-e", "-S", "-", "-t", "it");
    }

    /** The window title the program may have set with an escape sequence. */
    String title() throws Exception {
        return tmux("display-message", "-p", "-t", "it", "#{pane_title}").strip();
    }

    /** Waits until the screen and scrollback satisfy the condition; fails with what was there. */
    String await(String what, Predicate<String> condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String seen = history();
        while (!condition.test(seen)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; the terminal shows:\n" + seen);
            }
            Thread.sleep(200);
            seen = history();
        }
        return seen;
    }

    String awaitText(String text, Duration timeout) throws Exception {
        return await("'" + text + "'", s -> s.contains(text), timeout);
    }

    /** The program's exit status once it has exited. */
    int awaitExit(Duration timeout) throws Exception {
        String seen = awaitText(EXITED, timeout);
        Matcher matcher = Pattern.compile(Pattern.quote(EXITED) + "(\\d+)]").matcher(seen);
        if (!matcher.find()) {
            throw new AssertionError("no exit status in:\n" + seen);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** How often {@code text} appears on the screen and in the scrollback. */
    static int count(String haystack, String text) {
        int count = 0;
        for (int at = haystack.indexOf(text); at >= 0; at = haystack.indexOf(text, at + text.length())) {
            count++;
        }
        return count;
    }

    /** Kills this tmux server and removes its socket, which tmux leaves behind in /tmp. */
    @Override
    public void close() {
        Path socketPath = null;
        try {
            socketPath = Path.of(tmux("display-message", "-p", "#{socket_path}").strip());
            tmux("kill-server");
        } catch (Exception e) {
            // already gone
        }
        try {
            if (socketPath != null) {
                Files.deleteIfExists(socketPath);
            }
        } catch (IOException e) {
            // removed by tmux after all
        }
    }
}
