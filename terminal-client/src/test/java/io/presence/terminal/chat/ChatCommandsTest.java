package io.presence.terminal.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command table: what /help lists, what Tab offers, which names end the chat, and the answers that need no server. */
class ChatCommandsTest {

    private final RecordingConsole console = new RecordingConsole();
    private final Out out = new Out(console);
    private final StatusBar bar = new StatusBar();
    private final OpenView view = new OpenView(null, out, null, null, bar, null);
    private final ChatCommands commands = new ChatCommands(out, null, null, null, view,
            new Subscriptions(null, null, null, view, out, "1"), null, null, new StatusCommand(null, out, null, null, bar));

    @Test
    void tabOffersEachCommandOnceAndTheWordsACommandTakes() {
        CommandTable table = commands.table();
        assertEquals(List.of("/accept", "/add", "/contacts", "/create", "/decline", "/dm", "/help", "/join", "/leave",
                "/more", "/quit", "/rooms", "/status", "/who"), table.complete("/"));
        assertEquals(List.of("/accept", "/add", "/contacts", "/create", "/decline", "/dm", "/help", "/join", "/leave",
                "/more", "/quit", "/rooms", "/status", "/who"), table.complete("/st"), "the console narrows the list to what was typed");
        assertEquals(StatusRequest.STATUSES, Set.copyOf(table.complete("/status ")));
        assertEquals(StatusRequest.STATUSES, Set.copyOf(table.complete("/STATUS aw")));
        assertEquals(List.of(), table.complete("/away "), "the status shortcuts take free text");
        assertEquals(List.of(), table.complete("/who "));
        assertEquals(List.of(), table.complete("/nonsense "));
        assertEquals(List.of(), table.complete("hello /status "));
    }

    @Test
    void helpShowsOneRowPerCommandInTheTablesOrder() {
        commands.run(Input.parse("/help"));
        assertEquals("=== Commands (Tab completes them) ===", console.printed.get(0));
        List<String> usages = List.of("/rooms", "/join NAME|NUMBER", "/create [private] NAME", "/leave", "/more", "/who",
                "/status STATUS [TEXT] [for 30m|1h|today]", "/contacts", "/add HANDLE", "/accept HANDLE, /decline HANDLE",
                "/dm HANDLE", "/quit or Ctrl-D");
        assertEquals(usages.size() + 2, console.printed.size(), String.join("\n", console.printed));
        for (int i = 0; i < usages.size(); i++) {
            assertTrue(console.printed.get(i + 1).startsWith("  " + usages.get(i) + " "), console.printed.get(i + 1));
        }
        assertTrue(console.printed.get(console.printed.size() - 1).startsWith("-!- Anything else is sent"));
        console.printed.clear();
        commands.run(Input.parse("/?"));
        commands.run(Input.parse("/h"));
        assertEquals(2 * 14, console.printed.size(), "/? and /h are /help");
    }

    @Test
    void quitAndItsNamesEndTheChatAndNothingElseDoes() {
        for (String line : List.of("/quit", "/exit", "/q", "/QUIT now")) {
            assertTrue(commands.quits(Input.parse(line)), line);
        }
        for (String line : List.of("/quiet", "quit", "//quit", "/help")) {
            assertFalse(commands.quits(Input.parse(line)), line);
        }
    }

    @Test
    void commandsThatNeedAnOpenViewOrAKnownNameSaySo() {
        commands.run(Input.parse("/frobnicate x"));
        commands.run(Input.parse("/more"));
        commands.run(Input.parse("/part"));
        commands.run(Input.parse("/status"));
        assertEquals(List.of("-!- Unknown command /frobnicate. /help lists the commands.",
                "-!- /more shows older messages of the open room; enter one first.",
                "-!- Nothing is open: /leave leaves the open room.",
                "-!- You are " + bar.myStatus() + ". Change it with " + StatusRequest.USAGE), console.printed);
    }

    @Test
    void theStatusShortcutsSetThatStatus() {
        // "lunch for 0m" alone would be refused for its status; with "away" put first it reaches the expiry rule
        commands.run(Input.parse("/away lunch for 0m"));
        assertEquals(List.of("-!- an expiry must be longer than nothing: for 30m, for 1h, for today"), console.printed);
        assertEquals(Set.of(), StatusRequest.STATUSES.stream().filter(s -> commands.table().find(s).isEmpty())
                .collect(Collectors.toSet()), "every status is a command");
    }
}
