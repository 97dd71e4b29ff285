package io.presence.systemtest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.Pusher;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import io.presence.common.testing.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The terminal client ({@code terminal-client/target/presence-chat.jar}) in a real pseudo-terminal (tmux), against the
 * four packaged services: it logs in, enters a room, sends and receives messages, shows and sends typing, changes its
 * status, prints escape sequences inert, registers a new handle through {@code ./suite chat} without echoing the
 * password, and reconnects and catches up after the gateway restarts. A real pusher-java-client in the same room counts every event it causes.
 * Needs tmux ({@link RequiredTool}: .ci/run installs it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedSuite
class TerminalClientIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
    private static final Path CHAT_JAR = ROOT.resolve("terminal-client/target/presence-chat.jar");
    private static final Path WORK = ROOT.resolve("system-tests/target/terminal-client");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "long enough";
    private static final Duration WAIT = Duration.ofSeconds(45);

    @BeforeAll
    static void tools() throws Exception {
        RequiredTool.require(TmuxTerminal.available(), "tmux", "apt-get install tmux");
        assertTrue(Files.isRegularFile(CHAT_JAR), CHAT_JAR + " is missing: package terminal-client first");
        Files.createDirectories(WORK);
    }

    private static String gateway(String path) {
        return SharedSuite.suite().gateway(path);
    }

    /** A registered, logged-in user. */
    private record Account(String id, String handle, String token) {

        static Account register(String base) {
            String handle = base + UUID.randomUUID().toString().substring(0, 6);
            given().contentType(ContentType.JSON).body(Map.of("handle", handle, "password", PASSWORD))
                    .post(gateway("/api/users")).then().statusCode(201);
            String token = given().contentType(ContentType.JSON).body(Map.of("handle", handle, "password", PASSWORD))
                    .post(gateway("/api/sessions")).then().statusCode(201).extract().path("token");
            return new Account(given().auth().oauth2(token).get(gateway("/api/sessions/me")).then().extract().path("user.id"),
                    handle, token);
        }

        RequestSpecification as() {
            return given().auth().oauth2(token).contentType(ContentType.JSON);
        }

        /** Posts through the gateway, or straight to message-service while the gateway is away. */
        String say(String base, String roomId, String text) {
            return as().body(Map.of("text", text, "clientMessageId", UUID.randomUUID().toString()))
                    .post(base + "/api/rooms/" + roomId + "/messages").then().statusCode(201).extract().path("id");
        }
    }

    /** Everything a pusher-java-client room subscriber hears, in order, with data and the client event's user_id. */
    private static final class Heard implements PresenceChannelEventListener {
        record Event(String name, String userId, JsonNode data) {
        }

        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {
            events.add(new Event("subscribed", null, null));
        }

        @Override
        public void userSubscribed(String channelName, User user) {
            events.add(new Event("member_added", user.getId(), null));
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {
            events.add(new Event("member_removed", user == null ? null : user.getId(), null));
        }

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            events.add(new Event("auth-failed", null, null));
        }

        @Override
        public void onSubscriptionSucceeded(String channelName) {
        }

        @Override
        public void onEvent(PusherEvent event) {
            try {
                events.add(new Event(event.getEventName(), event.getUserId(), JSON.readTree(event.getData())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        List<Event> named(String name) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }

        void await(String what, Predicate<List<Event>> condition) throws InterruptedException {
            Instant deadline = Instant.now().plus(WAIT);
            while (!condition.test(events)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no " + what + " within " + WAIT.toSeconds() + " s; heard " + events);
                }
                Thread.sleep(100);
            }
        }
    }

    private static Pusher listen(Account account, String channel, Heard heard) throws InterruptedException {
        Pusher pusher = PusherClients.connect(SharedSuite.gateway().port, account.token());
        pusher.subscribePresence(channel, heard, "message", "client-typing", "pusher:member_updated");
        heard.await("subscription", events -> !heard.named("subscribed").isEmpty());
        return pusher;
    }

    private static TmuxTerminal chat(Map<String, String> environment, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "-jar", CHAT_JAR.toString(), "--server", gateway("")));
        command.addAll(List.of(options));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("LANG", "C.UTF-8");
        return TmuxTerminal.start(command, env, 160, 50);
    }

    private static Path passwordFile() throws Exception {
        Path file = Files.createTempFile(WORK, "password-", ".txt");
        Files.writeString(file, PASSWORD + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** The status line: the row under the messages that starts with the connection state. */
    private static String statusLine(String screen) {
        return screen.lines().filter(l -> l.startsWith("[connected]") || l.startsWith("[reconnecting")
                || l.startsWith("[offline") || l.startsWith("[connecting")).reduce((a, b) -> b).orElse("");
    }

    @Test
    @Order(1)
    void chatsInARoomWithTypingStatusAndInertEscapeSequences() throws Exception {
        Account ana = Account.register("ana");
        Account bob = Account.register("bob");
        String roomName = "tea" + UUID.randomUUID().toString().substring(0, 4);
        JsonNode room = JSON.readTree(bob.as().body(Map.of("name", roomName, "visibility", "public"))
                .post(gateway("/api/rooms")).then().statusCode(201).extract().asString());
        String roomId = room.get("id").asText();
        Heard heard = new Heard();
        Pusher bobClient = listen(bob, room.get("channel").asText(), heard);
        try (TmuxTerminal terminal = chat(Map.of(), "--user", ana.handle(), "--password-file", passwordFile().toString(),
                "--room", roomName)) {
            // logged in with --user, joined the public room, subscribed to its channel
            terminal.awaitText("=== #" + roomName + " ===", WAIT);
            heard.await("ana in the room", events -> heard.named("member_added").size() == 1);
            assertEquals(ana.id(), heard.named("member_added").get(0).userId());
            terminal.await("the status line", s -> statusLine(s).contains("#" + roomName + ", 2 here"), WAIT);
            terminal.awaitText("-- " + ana.handle() + " joined", WAIT);

            // typing a line sends client-typing from ana, Enter sends the message
            terminal.type("hello from the terminal");
            heard.await("ana typing", events -> !heard.named("client-typing").isEmpty());
            terminal.press("Enter");
            heard.await("ana's message", events -> heard.named("message").stream()
                    .anyMatch(e -> e.data().path("text").asText().equals("hello from the terminal")));
            terminal.awaitText("<" + ana.handle() + "> hello from the terminal", WAIT);

            // a message from someone else appears
            bob.say(gateway(""), roomId, "hi " + ana.handle() + ", from bob");
            terminal.awaitText("<" + bob.handle() + "> hi " + ana.handle() + ", from bob", WAIT);

            // someone else typing shows in the status line while they type, and goes when they stop
            var channel = bobClient.getPresenceChannel(room.get("channel").asText());
            Instant deadline = Instant.now().plus(WAIT);
            while (!statusLine(terminal.screen()).contains(bob.handle() + " is typing...")) {
                assertTrue(Instant.now().isBefore(deadline), "no typing shown: " + terminal.screen());
                channel.trigger("client-typing", "{}");
                Thread.sleep(300);
            }
            terminal.await("typing to end", s -> !statusLine(s).contains("is typing"), WAIT);

            // my status, seen by a presence subscriber of the room
            terminal.line("/status busy lunch");
            heard.await("member_updated", events -> !heard.named("pusher:member_updated").isEmpty());
            terminal.awaitText("You are now busy: lunch.", WAIT);
            terminal.await("my status in the status line", s -> statusLine(s).contains(ana.handle() + " (busy: lunch)"), WAIT);

            // the server refuses control characters in message text; a message that carries them anyway (here from a
            // backend through the signed HTTP API) is printed as text, never acted on
            String hostile = "\u001b[31mRED\u001b[0m alert \u001b]0;pwned\u0007 \u001b[2J\u009b1m end";
            bob.as().body(Map.of("text", hostile, "clientMessageId", UUID.randomUUID().toString()))
                    .post(gateway("/api/rooms/" + roomId + "/messages")).then().statusCode(400);
            GatewayApi.trigger(SharedSuite.gateway(), room.get("channel").asText(), "message", JSON.writeValueAsString(Map.of(
                    "id", "9" + System.currentTimeMillis(), "roomId", roomId, "kind", "user", "text", hostile,
                    "clientMessageId", UUID.randomUUID().toString(), "createdAt", Instant.now().toString(),
                    "author", Map.of("id", bob.id(), "handle", bob.handle()))));
            String inert = "<" + bob.handle() + "> ^[[31mRED^[[0m alert ^[]0;pwned^G ^[[2J\\x9b1m end";
            terminal.awaitText(inert, WAIT);
            assertNotEquals("pwned", terminal.title(), "the title escape was not interpreted");
            assertFalse(terminal.historyWithAttributes().contains("\u001b[31mRED"), "RED is not red");
            assertTrue(terminal.screen().contains("<" + ana.handle() + "> hello from the terminal"), "the screen was not cleared");

            // who is here, with status badges
            terminal.line("/who");
            String who = terminal.awaitText("=== People in #" + roomName + " ===", WAIT);
            terminal.await("both people listed", s -> s.contains("[busy]") && s.lines().anyMatch(
                    l -> l.contains("[online]") && l.contains(bob.handle())), WAIT);
            assertTrue(who.lines().anyMatch(l -> l.contains("[busy]") && l.contains(ana.handle()) && l.contains("lunch")), who);

            // Ctrl-D leaves; the room hears ana go
            terminal.press("C-d");
            assertEquals(0, terminal.awaitExit(WAIT));
            heard.await("ana leaving", events -> heard.named("member_removed").size() == 1);
            // a marker after everything on the room's ordered channel: once it is heard, nothing earlier can still come
            bob.say(gateway(""), roomId, "marker");
            heard.await("the marker", events -> heard.named("message").stream().anyMatch(e -> e.data().path("text").asText().equals("marker")));

            // counted exactly: every line and event once, none twice
            String shown = terminal.history();
            assertEquals(1, TmuxTerminal.count(shown, "-- " + ana.handle() + " joined"), shown);
            assertEquals(1, TmuxTerminal.count(shown, "<" + ana.handle() + "> hello from the terminal"), shown);
            assertEquals(1, TmuxTerminal.count(shown, "<" + bob.handle() + "> hi " + ana.handle() + ", from bob"), shown);
            assertEquals(1, TmuxTerminal.count(shown, inert), shown);
            List<String> messages = heard.named("message").stream()
                    .map(e -> e.data().path("author").path("handle").asText() + ": " + e.data().path("text").asText()).toList();
            assertEquals(List.of(ana.handle() + ": " + ana.handle() + " joined", ana.handle() + ": hello from the terminal",
                    bob.handle() + ": hi " + ana.handle() + ", from bob",
                    bob.handle() + ": \u001b[31mRED\u001b[0m alert \u001b]0;pwned\u0007 \u001b[2J\u009b1m end", bob.handle() + ": marker"),
                    messages);
            List<Heard.Event> updates = heard.named("pusher:member_updated");
            assertEquals(1, updates.size(), "one status change, announced once: " + updates);
            assertEquals(ana.id(), updates.get(0).data().path("user_id").asText());
            assertEquals("busy", updates.get(0).data().path("user_info").path("status").asText());
            assertEquals("lunch", updates.get(0).data().path("user_info").path("text").asText());
            assertTrue(heard.named("client-typing").stream().allMatch(e -> ana.id().equals(e.userId())),
                    "typing from ana only (never echoed to bob's own client): " + heard.named("client-typing"));
            assertEquals(1, heard.named("member_added").size());
            assertEquals(ana.id(), heard.named("member_removed").get(0).userId());
            JsonNode history = JSON.readTree(bob.as().get(gateway("/api/rooms/" + roomId + "/messages")).then().statusCode(200)
                    .extract().asString()).get("messages");
            long stored = 0;
            for (JsonNode message : history) {
                if (message.path("text").asText().equals("hello from the terminal")) {
                    stored++;
                    assertEquals(ana.id(), message.path("author").path("id").asText());
                }
            }
            assertEquals(1, stored, "the history has the sent line once: " + history);
        } finally {
            bobClient.disconnect();
        }
    }

    @Test
    @Order(2)
    void registersANewHandleThroughSuiteChatWithoutEchoingThePassword() throws Exception {
        String handle = "dora" + UUID.randomUUID().toString().substring(0, 6);
        String secret = "s3cret-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> suiteChat = List.of("bash", ROOT.resolve("suite").toString(), "chat", "--server", gateway(""));
        try (TmuxTerminal terminal = TmuxTerminal.start(suiteChat, Map.of("LANG", "C.UTF-8"), 160, 50)) {
            terminal.awaitText("Handle:", WAIT);
            terminal.line(handle);
            terminal.awaitText("Register it? [y/N]", WAIT);
            terminal.line("y");
            terminal.awaitText("Choose a password (8-72 characters):", WAIT);
            terminal.line(secret);
            terminal.awaitText("Repeat it:", WAIT);
            terminal.line(secret);
            terminal.awaitText("Logged in as " + handle, WAIT);
            terminal.awaitText("=== Rooms ===", WAIT);
            terminal.line("/quit");
            assertEquals(0, terminal.awaitExit(WAIT));
            String shown = terminal.history();
            assertFalse(shown.contains(secret), "the password was echoed:\n" + shown);
            assertEquals(1, TmuxTerminal.count(shown, "Registered " + handle + "."), shown);
        }
        given().get(gateway("/api/users/" + handle)).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("handle", handle, "password", secret))
                .post(gateway("/api/sessions")).then().statusCode(201);
    }

    @Test
    @Order(3)
    void reconnectsWhenTheGatewayRestartsAndCatchesUpFromHistory() throws Exception {
        Account carl = Account.register("carl");
        Account bob = Account.register("bob");
        String roomName = "lobby" + UUID.randomUUID().toString().substring(0, 4);
        String roomId = bob.as().body(Map.of("name", roomName, "visibility", "public"))
                .post(gateway("/api/rooms")).then().statusCode(201).extract().path("id");
        try (TmuxTerminal terminal = chat(Map.of("PRESENCE_PASSWORD", PASSWORD), "--user", carl.handle(), "--room", roomName)) {
            terminal.awaitText("=== #" + roomName + " ===", WAIT);
            terminal.await("connected", s -> statusLine(s).startsWith("[connected]"), WAIT);

            // a rolling update as the client sees it: the gateway goes away and comes back on the same address
            SharedSuite.suite().stop("gateway-service");
            terminal.await("the lost connection", s -> statusLine(s).startsWith("[reconnecting") || statusLine(s).startsWith("[offline"), WAIT);
            String missed = "said while the gateway was away";
            bob.say(SharedSuite.suite().service("message-service").url(""), roomId, missed);
            SharedSuite.suite().startAgain("gateway-service");

            terminal.await("the missed message", s -> s.contains("<" + bob.handle() + "> " + missed), Duration.ofSeconds(90));
            terminal.await("connected again", s -> statusLine(s).startsWith("[connected]"), WAIT);
            // and it still works live
            bob.say(gateway(""), roomId, "and now live");
            String shown = terminal.awaitText("<" + bob.handle() + "> and now live", WAIT);
            assertEquals(1, TmuxTerminal.count(shown, "<" + bob.handle() + "> " + missed), shown);
            assertEquals(1, TmuxTerminal.count(shown, "Caught up on 1 message from history."), shown);
            terminal.line("/quit");
            assertEquals(0, terminal.awaitExit(WAIT));
            assertEquals(1, TmuxTerminal.count(terminal.history(), "<" + bob.handle() + "> and now live"));
        }
    }
}
