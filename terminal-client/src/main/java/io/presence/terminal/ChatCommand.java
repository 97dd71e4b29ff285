package io.presence.terminal;

import io.presence.terminal.api.SuiteApi;
import io.presence.terminal.api.Wire;
import io.presence.terminal.chat.ChatClient;
import io.presence.terminal.chat.Login;
import io.presence.terminal.ui.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code presence-chat} command: options, login, then the chat until /quit or Ctrl-D. */
@Command(name = "presence-chat", mixinStandardHelpOptions = true, version = "presence-chat 1.0",
        description = "The presence suite's terminal chat: rooms, direct messages, presence and status.",
        footer = {"", "Without --user it asks for the handle and the password (and offers to register a new handle).",
            "Example: ./suite chat --user ana --room tea"})
public final class ChatCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:PRESENCE_SERVER:-http://localhost:8080}",
            description = "The suite's gateway (default: ${DEFAULT-VALUE}; PRESENCE_SERVER sets it too).")
    URI server;

    @Option(names = "--user", paramLabel = "HANDLE", description = "Log in as HANDLE without being asked for it.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from the first line of FILE; else PRESENCE_PASSWORD, else it is asked.")
    Path passwordFile;

    @Option(names = "--register", description = "With --user and a password: create the account if the handle is free.")
    boolean register;

    @Option(names = "--room", paramLabel = "NAME", description = "Go straight into room NAME (joining it if it is public).")
    String room;

    @Option(names = "--app-key", paramLabel = "KEY", defaultValue = "app-key",
            description = "The Pusher app key of the gateway (default: ${DEFAULT-VALUE}).")
    String appKey;

    @Option(names = "--no-color", description = "Plain text even on a colour terminal (NO_COLOR does the same).")
    boolean noColor;

    @Option(names = "--log", paramLabel = "FILE", description = "Write the WebSocket client's diagnostics to FILE.")
    Path log;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChatCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Diagnostics.configure(log);
        if (server.getHost() == null || !server.getScheme().matches("https?")) {
            System.err.println("presence-chat: --server needs an http:// or https:// address, not " + server);
            return 2;
        }
        String password;
        try {
            password = password();
        } catch (IOException e) {
            System.err.println("presence-chat: cannot read the password file: " + e);
            return 2;
        }
        try (Console console = Console.open(!noColor && System.getenv("NO_COLOR") == null)) {
            SuiteApi api = new SuiteApi(server);
            Optional<Wire.Login> login;
            try {
                login = new Login(api, console).run(user, password, register);
            } catch (EndOfFileException | UserInterruptException e) {
                return 1;
            }
            if (login.isEmpty()) {
                return 1;
            }
            api.useToken(login.get().token());
            return chat(api, console, login.get().user());
        }
    }

    private String password() throws IOException {
        if (passwordFile != null) {
            return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        }
        return System.getenv("PRESENCE_PASSWORD");
    }

    private int chat(SuiteApi api, Console console, Wire.Me me) throws InterruptedException, ExecutionException {
        ScheduledExecutorService app = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "chat");
            thread.setDaemon(true);
            return thread;
        });
        ChatClient chat = new ChatClient(api, console, me, app, appKey);
        app.submit(() -> chat.start(room)).get();
        while (true) {
            String line;
            try {
                line = console.readChatLine();
            } catch (EndOfFileException e) {
                break;
            } catch (UserInterruptException e) {
                // Ctrl-C clears a half-typed line; on an empty one it leaves, as most terminal programs do
                if (e.getPartialLine() == null || e.getPartialLine().isBlank()) {
                    break;
                }
                continue;
            }
            if (!app.submit(() -> chat.handle(line)).get()) {
                break;
            }
        }
        try {
            app.submit(chat::stop).get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // the server is away: leaving does not wait for it
        }
        app.shutdownNow();
        return 0;
    }
}
