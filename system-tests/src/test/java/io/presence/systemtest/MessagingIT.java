package io.presence.systemtest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.Pusher;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import io.presence.common.pusher.Channels;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Messaging through the gateway with real sessions, as a chat client does it: REST calls with a session token or
 * cookie, and a real pusher-java-client subscribed to the room and direct channels that receives messages, edits,
 * deletes and read cursors in real time, each exactly once and in order (the shared suite's packaged services).
 */
@OnSharedSuite
class MessagingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] EVENTS = {"message", "message_updated", "message_deleted", "read_cursor"};
    private static final long WAIT_SECONDS = 30;

    private static String gateway(String path) {
        return SharedSuite.suite().gateway(path);
    }

    /** A registered, logged-in user. */
    private record Account(String id, String handle, String token) {

        static Account register(String base) {
            String handle = base + UUID.randomUUID().toString().substring(0, 8);
            given().contentType(ContentType.JSON).body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                    .post(gateway("/api/users")).then().statusCode(201);
            String token = given().contentType(ContentType.JSON).body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                    .post(gateway("/api/sessions")).then().statusCode(201).extract().path("token");
            String id = given().auth().oauth2(token).get(gateway("/api/sessions/me")).then().extract().path("user.id");
            return new Account(id, handle, token);
        }

        RequestSpecification as() {
            return given().auth().oauth2(token).contentType(ContentType.JSON);
        }
    }

    /** What a pusher-java-client channel listener hears: subscription results and the messaging events with their data. */
    private static final class Inbox implements PresenceChannelEventListener, PrivateChannelEventListener {
        final BlockingQueue<String> states = new LinkedBlockingQueue<>();
        final BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void onSubscriptionSucceeded(String channelName) {
            states.add("subscribed");
        }

        @Override
        public void onAuthenticationFailure(String message, Exception e) {
            states.add("auth-failed");
        }

        @Override
        public void onUsersInformationReceived(String channelName, Set<User> users) {
        }

        @Override
        public void userSubscribed(String channelName, User user) {
        }

        @Override
        public void userUnsubscribed(String channelName, User user) {
        }

        @Override
        public void onEvent(PusherEvent event) {
            events.add(event);
        }

        void awaitState(String expected) throws InterruptedException {
            String state = states.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(expected, state);
        }

        /** The next messaging event (waiting up to 30 s): it must be the expected one; returns its data. */
        JsonNode next(String expectedEvent) throws Exception {
            PusherEvent event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(event != null, "no '" + expectedEvent + "' within " + WAIT_SECONDS + " s");
            assertEquals(expectedEvent, event.getEventName(), "event " + event);
            return JSON.readTree(event.getData());
        }
    }

    @Test
    void roomMembersReceiveMessagesEditsDeletesAndCursorsInRealTime() throws Exception {
        Account ana = Account.register("ana");
        Account bob = Account.register("bob");
        String room = ana.as().body("{\"name\":\"general\",\"visibility\":\"public\",\"topic\":\"all things\"}")
                .post(gateway("/api/rooms")).then().statusCode(201).extract().path("id");
        String channel = Channels.roomChannel(Long.parseLong(room));
        // bob uses the session cookie, as a browser does; the gateway and message-service pass it on to user-service
        given().cookie("presence_session", bob.token()).put(gateway("/api/rooms/" + room + "/members/me"))
                .then().statusCode(200).body("channel", equalTo(channel));

        int port = SharedSuite.gateway().port;
        Pusher anaClient = PusherClients.connect(port, ana.token());
        Pusher bobClient = PusherClients.connect(port, bob.token());
        Pusher eveClient = PusherClients.connect(port, Account.register("eve").token());
        try {
            Inbox anaInbox = new Inbox();
            Inbox bobInbox = new Inbox();
            Inbox eveInbox = new Inbox();
            anaClient.subscribePresence(channel, anaInbox, EVENTS);
            bobClient.subscribePresence(channel, bobInbox, EVENTS);
            eveClient.subscribePresence(channel, eveInbox, EVENTS);
            anaInbox.awaitState("subscribed");
            bobInbox.awaitState("subscribed");
            eveInbox.awaitState("auth-failed"); // not a member: user-service asked message-service

            String id = ana.as().body("{\"text\":\"hello room\",\"clientMessageId\":\"c-1\"}")
                    .post(gateway("/api/rooms/" + room + "/messages")).then().statusCode(201).extract().path("id");
            JsonNode message = bobInbox.next("message");
            assertEquals(id, message.get("id").asText());
            assertEquals("hello room", message.get("text").asText());
            assertEquals(ana.handle(), message.get("author").get("handle").asText());
            assertEquals(id, anaInbox.next("message").get("id").asText());
            // a retry through the gateway is the same message and is not delivered again
            ana.as().body("{\"text\":\"hello room\",\"clientMessageId\":\"c-1\"}")
                    .post(gateway("/api/rooms/" + room + "/messages")).then().statusCode(200).body("id", equalTo(id));

            ana.as().body("{\"text\":\"hello, room\"}").patch(gateway("/api/rooms/" + room + "/messages/" + id)).then().statusCode(200);
            assertEquals("hello, room", bobInbox.next("message_updated").get("text").asText());
            anaInbox.next("message_updated");

            bob.as().body("{\"messageId\":\"" + id + "\"}").put(gateway("/api/rooms/" + room + "/cursor"))
                    .then().statusCode(200).body("unread", equalTo(0));
            JsonNode cursor = anaInbox.next("read_cursor");
            assertEquals(bob.id(), cursor.get("user_id").asText());
            assertEquals(id, cursor.get("messageId").asText());
            bobInbox.next("read_cursor");

            ana.as().delete(gateway("/api/rooms/" + room + "/messages/" + id)).then().statusCode(204);
            JsonNode deleted = bobInbox.next("message_deleted");
            assertEquals(id, deleted.get("id").asText());
            assertTrue(deleted.get("text").isNull());
            assertEquals(id, anaInbox.next("message_deleted").get("id").asText());

            bob.as().get(gateway("/api/rooms/" + room + "/messages")).then().statusCode(200)
                    .body("messages.kind", contains("system", "system", "user"))
                    .body("messages[2].text", nullValue());
            assertTrue(eveInbox.events.isEmpty(), "a refused subscriber hears nothing");
            // a marker after everything else on the room's ordered channel: the next event, so nothing came twice
            String marker = ana.as().body("{\"text\":\"marker\",\"clientMessageId\":\"c-2\"}")
                    .post(gateway("/api/rooms/" + room + "/messages")).then().statusCode(201).extract().path("id");
            assertEquals(marker, bobInbox.next("message").get("id").asText(), "every event was delivered once");
            assertEquals(marker, anaInbox.next("message").get("id").asText(), "every event was delivered once");
        } finally {
            anaClient.disconnect();
            bobClient.disconnect();
            eveClient.disconnect();
        }
    }

    @Test
    void acceptedContactsTalkOnTheirDirectChannelAndStrangersCannot() throws Exception {
        Account ana = Account.register("ana");
        Account bob = Account.register("bob");
        Account eve = Account.register("eve");
        eve.as().body("{\"text\":\"psst\",\"clientMessageId\":\"e-1\"}").post(gateway("/api/conversations/" + ana.id() + "/messages"))
                .then().statusCode(403).contentType("application/problem+json");
        String request = ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post(gateway("/api/contacts/requests"))
                .then().statusCode(201).extract().path("id");
        bob.as().post(gateway("/api/contacts/requests/" + request + "/accept")).then().statusCode(200);

        String channel = bob.as().get(gateway("/api/conversations/" + ana.id())).then().statusCode(200).extract().path("channel");
        assertEquals(Channels.directChannel(Long.parseLong(ana.id()), Long.parseLong(bob.id())), channel);
        Pusher bobClient = PusherClients.connect(SharedSuite.gateway().port, bob.token());
        try {
            Inbox inbox = new Inbox();
            bobClient.subscribePrivate(channel, inbox, EVENTS);
            inbox.awaitState("subscribed");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(ana.as().body("{\"text\":\"dm " + i + "\",\"clientMessageId\":\"d-" + i + "\"}")
                        .post(gateway("/api/conversations/" + bob.id() + "/messages")).then().statusCode(201).extract().path("id"));
            }
            for (int i = 0; i < 3; i++) {
                JsonNode m = inbox.next("message");
                assertEquals(ids.get(i), m.get("id").asText(), "delivered in order");
                assertEquals("dm " + i, m.get("text").asText());
            }
            bob.as().get(gateway("/api/conversations")).then().statusCode(200)
                    .body("conversations[0].with.id", equalTo(ana.id()))
                    .body("conversations[0].unread", equalTo(3));
            bob.as().body("{\"messageId\":\"" + ids.get(2) + "\"}").put(gateway("/api/conversations/" + ana.id() + "/cursor"))
                    .then().statusCode(200).body("unread", equalTo(0));
            assertEquals(bob.id(), inbox.next("read_cursor").get("user_id").asText());
        } finally {
            bobClient.disconnect();
        }
    }

    /** A contact accepted, a block and an unblock take effect for the very next message, whatever was cached. */
    @Test
    void relationChangesTakeEffectForTheNextMessage() {
        Account ana = Account.register("ana");
        Account bob = Account.register("bob");
        String toBob = gateway("/api/conversations/" + bob.id() + "/messages");
        ana.as().body("{\"text\":\"hi\",\"clientMessageId\":\"r-1\"}").post(toBob).then().statusCode(403); // refused, and cached
        String request = ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post(gateway("/api/contacts/requests"))
                .then().statusCode(201).extract().path("id");
        bob.as().post(gateway("/api/contacts/requests/" + request + "/accept")).then().statusCode(200);
        ana.as().body("{\"text\":\"hi\",\"clientMessageId\":\"r-2\"}").post(toBob).then().statusCode(201); // allowed, and cached

        bob.as().body("{\"handle\":\"" + ana.handle() + "\"}").post(gateway("/api/contacts/blocks")).then().statusCode(anyOf(is(200), is(201), is(204)));
        ana.as().body("{\"text\":\"still there?\",\"clientMessageId\":\"r-3\"}").post(toBob).then().statusCode(403)
                .contentType("application/problem+json");
        bob.as().delete(gateway("/api/contacts/blocks/" + ana.handle())).then().statusCode(anyOf(is(200), is(204)));
        // unblocking does not restore the contact a block ended: still refused, at once
        ana.as().body("{\"text\":\"and now?\",\"clientMessageId\":\"r-4\"}").post(toBob).then().statusCode(403);
    }

    /** The caller's answer about one user: status, content type and body, the asked id made {@code ID}. */
    private static String presenceAnswer(Account caller, String id) {
        io.restassured.response.Response r = caller.as().get(gateway("/api/presence/users/" + id));
        return r.statusCode() + " " + r.contentType() + "\n" + r.asString().replace(id, "ID");
    }

    /**
     * The built-in app shows presence to contacts (its default): through the gateway a contact and a room-mate are seen
     * online, and stop being seen when the relation ends; a stranger, a user who blocked the caller and an id that does
     * not exist answer the same bytes.
     */
    @Test
    void presenceIsSeenByContactsAndRoomMatesAndHidesEveryoneElseAlike() throws Exception {
        Account ana = Account.register("ana");
        Account bob = Account.register("bob");
        Account carl = Account.register("carl");
        Account eve = Account.register("eve");
        Account mal = Account.register("mal");
        String request = ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post(gateway("/api/contacts/requests"))
                .then().statusCode(201).extract().path("id");
        bob.as().post(gateway("/api/contacts/requests/" + request + "/accept")).then().statusCode(200);
        String room = ana.as().body("{\"name\":\"visibility\",\"visibility\":\"public\"}").post(gateway("/api/rooms"))
                .then().statusCode(201).extract().path("id");
        carl.as().put(gateway("/api/rooms/" + room + "/members/me")).then().statusCode(200);
        mal.as().body("{\"handle\":\"" + ana.handle() + "\"}").post(gateway("/api/contacts/blocks")).then().statusCode(204);

        List<Pusher> online = new ArrayList<>();
        try {
            for (Account user : List.of(bob, carl, eve, mal)) { // each online in a presence channel of their own
                Pusher client = PusherClients.connect(SharedSuite.gateway().port, user.token());
                online.add(client);
                Inbox inbox = new Inbox();
                client.subscribePresence("presence-own-" + UUID.randomUUID(), inbox, EVENTS);
                inbox.awaitState("subscribed");
            }
            ana.as().body("{\"ids\":[\"" + bob.id() + "\",\"" + carl.id() + "\"]}").post(gateway("/api/presence/users/query"))
                    .then().statusCode(200).body("users.online", contains(true, true));
            String missing = "9" + eve.id() + "9";
            String expected = presenceAnswer(ana, missing);
            assertTrue(expected.startsWith("200 application/json") && expected.endsWith(
                    "\n{\"userId\":\"ID\",\"online\":false,\"status\":\"offline\",\"text\":null,\"lastSeen\":null}"), expected);
            assertEquals(expected, presenceAnswer(ana, eve.id()), "a stranger");
            assertEquals(expected, presenceAnswer(ana, mal.id()), "a blocker");

            bob.as().delete(gateway("/api/contacts/" + ana.handle())).then().statusCode(204);
            carl.as().delete(gateway("/api/rooms/" + room + "/members/me")).then().statusCode(204);
            ana.as().body("{\"ids\":[\"" + bob.id() + "\",\"" + carl.id() + "\"]}").post(gateway("/api/presence/users/query"))
                    .then().statusCode(200).body("users.online", contains(false, false));
        } finally {
            online.forEach(Pusher::disconnect);
        }
    }
}
