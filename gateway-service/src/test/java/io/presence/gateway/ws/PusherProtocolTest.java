package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.pusher.PusherApp;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.testsupport.PusherSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The protocol frame by frame, with a raw WebSocket client. */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class PusherProtocolTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    Markers markers;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig store;

    /** What user-service's mirror holds once the two accepted each other as contacts (the built-in app shows contacts). */
    private void contacts(String a, String b) {
        redis.set(String.class).sadd(store.schema().contacts(PusherSocket.APP.id(), a), b);
        redis.set(String.class).sadd(store.schema().contacts(PusherSocket.APP.id(), b), a);
    }

    private static void signIn(PusherSocket socket, String userData) throws Exception {
        socket.send("pusher:signin", Map.of("user_data", userData, "auth", PusherSocket.APP.auth(PusherApp.userSignInText(socket.socketId(), userData))));
        socket.next("pusher:signin_success");
    }

    @Test
    void connectionEstablishedThenPingPong() throws Exception {
        try (PusherSocket s = PusherSocket.connect(port)) {
            assertTrue(s.socketId().matches("^\\d+\\.\\d+$"), s.socketId());
            s.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            assertEquals("{}", s.next("pusher:pong").get("data").asText());
        }
    }

    @Test
    void theEstablishedFrameIsDoubleEncoded() throws Exception {
        try (PusherSocket s = PusherSocket.raw(port, "/app/app-key?protocol=7")) {
            JsonNode frame = s.next("pusher:connection_established");
            assertEquals(120, s.data(frame).get("activity_timeout").asInt());
        }
    }

    @Test
    void unknownAppsAndProtocolsAreClosedWithTheirCodes() throws Exception {
        try (PusherSocket s = PusherSocket.raw(port, "/app/nope?protocol=7")) {
            assertEquals(4001, s.data(s.next("pusher:error")).get("code").asInt());
            assertEquals(4001, s.awaitClose());
        }
        try (PusherSocket s = PusherSocket.raw(port, "/app/app-key")) {
            assertEquals(4008, s.awaitClose());
        }
        try (PusherSocket s = PusherSocket.raw(port, "/app/app-key?protocol=3")) {
            assertEquals(4007, s.awaitClose());
        }
    }

    @Test
    void subscriptionsCheckSignaturesAndKeepTheSocketOpenOnFailure() throws Exception {
        try (PusherSocket s = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            s.subscribePublic("news");
            s.send("pusher:subscribe", Map.of("channel", "private-x", "auth", "app-key:" + "0".repeat(64)));
            JsonNode error = s.next("pusher:subscription_error");
            assertEquals("private-x", error.get("channel").asText());
            assertEquals("AuthError", s.data(error).get("type").asText());
            assertEquals(401, s.data(error).get("status").asInt());
            // signed for another socket: refused too
            s.send("pusher:subscribe", Map.of("channel", "private-x",
                    "auth", PusherSocket.APP.auth(PusherApp.privateChannelText("1.1", "private-x"))));
            s.next("pusher:subscription_error");
            s.subscribePrivate("private-x");
            s.send("pusher:subscribe", Map.of("channel", "bad channel!"));
            assertEquals("InvalidChannel", s.data(s.next("pusher:subscription_error")).get("type").asText());
            s.send("pusher:subscribe", Map.of("channel", "c".repeat(165)));
            s.next("pusher:subscription_error");
            s.send("not json");
            s.next("pusher:error");
            s.send("{\"event\":\"pusher:ping\"}");
            s.next("pusher:pong");
        }
    }

    @Test
    void presenceIsPerUserNotPerConnection() throws Exception {
        String channel = "presence-tabs-" + System.nanoTime();
        try (PusherSocket watcher = PusherSocket.connect(port)) {
            JsonNode first = watcher.joinPresence(channel, "1", "Watcher");
            assertEquals(1, first.get("count").asInt());

            PusherSocket tab1 = PusherSocket.connect(port);
            PusherSocket tab2 = PusherSocket.connect(port);
            JsonNode seen = tab1.joinPresence(channel, "2", "Ana");
            assertEquals(2, seen.get("count").asInt());
            assertEquals("Watcher", seen.get("hash").get("1").get("name").asText());
            JsonNode added = watcher.data(watcher.next("pusher_internal:member_added"));
            assertEquals("2", added.get("user_id").asText());
            assertEquals("Ana", added.get("user_info").get("name").asText());

            assertEquals(2, tab2.joinPresence(channel, "2", "Ana").get("count").asInt());
            watcher.expect(markers.publish(channel)); // a second tab of a member is no news

            tab1.close();
            markers.awaitConnections(channel, 2);
            watcher.expect(markers.publish(channel)); // nor is one of two tabs leaving
            tab2.send("pusher:unsubscribe", Map.of("channel", channel));
            assertEquals("2", watcher.data(watcher.next("pusher_internal:member_removed")).get("user_id").asText());
            tab2.close();
        }
    }

    @Test
    void usersJoiningAtTheSameTimeAllEndUpKnowingEveryone() throws Exception {
        String channel = "presence-rush-" + System.nanoTime();
        int users = 30;
        List<PusherSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < users; i++) {
                sockets.add(PusherSocket.connect(port));
            }
            List<List<String>> told = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                PusherSocket s = sockets.get(i);
                String channelData = "{\"user_id\":\"" + i + "\"}";
                s.send("pusher:subscribe", Map.of("channel", channel, "channel_data", channelData,
                        "auth", PusherSocket.APP.auth(PusherApp.presenceChannelText(s.socketId(), channel, channelData))));
            }
            for (PusherSocket s : sockets) {
                List<String> ids = new ArrayList<>();
                JsonNode presence = s.data(s.next("pusher_internal:subscription_succeeded")).get("presence");
                presence.get("ids").forEach(id -> ids.add(id.asText()));
                told.add(ids);
            }
            // everyone joined: the marker comes after every member_added there is
            String marker = markers.publish(channel);
            for (int i = 0; i < users; i++) {
                List<JsonNode> frames = sockets.get(i).framesUntil(marker);
                for (JsonNode added : frames.subList(0, frames.size() - 1)) {
                    assertEquals("pusher_internal:member_added", PusherSocket.event(added), frames.toString());
                    told.get(i).add(PusherSocket.data(added).get("user_id").asText());
                }
                assertEquals(users, told.get(i).size(), "every member in the list or announced after it: " + told.get(i));
                assertEquals(users, new HashSet<>(told.get(i)).size(), "each once: " + told.get(i));
            }
        } finally {
            sockets.forEach(PusherSocket::close);
        }
    }

    @Test
    void presenceChannelDataIsChecked() throws Exception {
        try (PusherSocket s = PusherSocket.connect(port)) {
            String channel = "presence-checks";
            String noUser = "{\"user_info\":{}}";
            s.send("pusher:subscribe", Map.of("channel", channel, "channel_data", noUser,
                    "auth", PusherSocket.APP.auth(PusherApp.presenceChannelText(s.socketId(), channel, noUser))));
            assertEquals("InvalidChannelData", s.data(s.next("pusher:subscription_error")).get("type").asText());

            String big = "{\"user_id\":\"9\",\"user_info\":{\"bio\":\"" + "x".repeat(1100) + "\"}}";
            s.send("pusher:subscribe", Map.of("channel", channel, "channel_data", big,
                    "auth", PusherSocket.APP.auth(PusherApp.presenceChannelText(s.socketId(), channel, big))));
            assertEquals("LimitReached", s.data(s.next("pusher:subscription_error")).get("type").asText());

            // channel_data signed differently from what was sent
            s.send("pusher:subscribe", Map.of("channel", channel, "channel_data", "{\"user_id\":\"1\"}",
                    "auth", PusherSocket.APP.auth(PusherApp.presenceChannelText(s.socketId(), channel, "{\"user_id\":\"2\"}"))));
            assertEquals("AuthError", s.data(s.next("pusher:subscription_error")).get("type").asText());
        }
    }

    @Test
    void clientEventsReachOthersNeverTheSenderAndOnlyWhereJoined() throws Exception {
        String channel = "presence-chat-" + System.nanoTime();
        try (PusherSocket ana = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT); // public-room, below
             PusherSocket bob = PusherSocket.connect(port)) {
            ana.joinPresence(channel, "1", "Ana");
            bob.joinPresence(channel, "2", "Bob");
            ana.send("{\"event\":\"client-typing\",\"channel\":\"" + channel + "\",\"data\":{\"typing\":true}}");
            JsonNode typing = bob.next("client-typing");
            assertEquals("1", typing.get("user_id").asText());
            assertEquals(true, bob.data(typing).get("typing").asBoolean());
            ana.expect("pusher_internal:member_added", markers.publish(channel)); // bob's join, and not her own event

            ana.send("{\"event\":\"client-x\",\"channel\":\"presence-not-joined\",\"data\":{}}");
            ana.next("pusher:error");
            ana.subscribePublic("public-room");
            ana.send("{\"event\":\"client-x\",\"channel\":\"public-room\",\"data\":{}}");
            ana.next("pusher:error");
        }
    }

    @Test
    void clientEventsAreRateLimited() throws Exception {
        try (PusherSocket ana = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            ana.subscribePrivate("private-flood");
            // 30 at once: however slowly they are handled, more than 10 fall into one second
            for (int i = 0; i < 30; i++) {
                ana.send("{\"event\":\"client-x\",\"channel\":\"private-flood\",\"data\":{}}");
            }
            ana.send("{\"event\":\"pusher:ping\",\"data\":{}}");
            List<JsonNode> answers = ana.framesUntil("pusher:pong"); // answered after every client event was handled
            List<JsonNode> refusals = answers.subList(0, answers.size() - 1);
            assertFalse(refusals.isEmpty(), "some were refused");
            for (JsonNode refusal : refusals) {
                assertEquals("pusher:error", PusherSocket.event(refusal), answers.toString());
                assertEquals(4301, PusherSocket.data(refusal).get("code").asInt(), answers.toString());
            }
            assertFalse(ana.closeCode().isDone(), "the socket stays open");
        }
    }

    @Test
    void signInJoinsTheUsersServerChannel() throws Exception {
        try (PusherSocket s = PusherSocket.connect(port)) {
            s.send("pusher:subscribe", Map.of("channel", "#server-to-user-7"));
            s.next("pusher:subscription_error");
            String userData = "{\"id\":\"7\",\"user_info\":{\"name\":\"Seven\"}}";
            s.send("pusher:signin", Map.of("user_data", userData, "auth", "app-key:" + "1".repeat(64)));
            assertEquals(4009, s.data(s.next("pusher:error")).get("code").asInt());
            s.send("pusher:signin", Map.of("user_data", userData,
                    "auth", PusherSocket.APP.auth(PusherApp.userSignInText(s.socketId(), userData))));
            assertEquals(userData, s.data(s.next("pusher:signin_success")).get("user_data").asText());
        }
    }

    @Test
    void clientEventsAreRefusedOnEncryptedChannels() throws Exception {
        String channel = "private-encrypted-secret-" + System.nanoTime();
        try (PusherSocket ana = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT);
             PusherSocket bob = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            ana.subscribePrivate(channel);
            bob.subscribePrivate(channel);
            ana.send("{\"event\":\"client-x\",\"channel\":\"" + channel + "\",\"data\":{}}");
            assertTrue(ana.data(ana.next("pusher:error")).get("message").asText().contains("encrypted"));
            bob.expect(markers.publish(channel)); // refused, so never published before the marker
        }
    }

    @Test
    void aWatchlistShowsTheStateAtSignInThenEachTransitionOnce() throws Exception {
        String watched = "w" + System.nanoTime();
        String channel = "presence-watched-" + System.nanoTime();
        String userChannel = "#server-to-user-7";
        contacts("7", watched);
        try (PusherSocket watcher = PusherSocket.connect(port)) {
            String tooLong = "{\"id\":\"7\",\"watchlist\":[" + "\"x\",".repeat(100) + "\"x\"]}";
            watcher.send("pusher:signin", Map.of("user_data", tooLong, "auth", PusherSocket.APP.auth(PusherApp.userSignInText(watcher.socketId(), tooLong))));
            assertEquals(4009, watcher.data(watcher.next("pusher:error")).get("code").asInt(), "more than 100 watched users");

            String userData = "{\"id\":\"7\",\"watchlist\":[\"" + watched + "\"]}";
            watcher.send("pusher:signin", Map.of("user_data", userData, "auth", PusherSocket.APP.auth(PusherApp.userSignInText(watcher.socketId(), userData))));
            watcher.next("pusher:signin_success");
            assertEquals("{\"events\":[{\"name\":\"offline\",\"user_ids\":[\"" + watched + "\"]}]}",
                    watcher.next("pusher_internal:watchlist_events").get("data").asText());
            try (PusherSocket first = PusherSocket.connect(port); PusherSocket second = PusherSocket.connect(port)) {
                first.joinPresence(channel, watched, "W");
                second.joinPresence(channel, watched, "W");
                // the watchlist events go on the watcher's own channel, decided before each join is answered
                assertEquals("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"" + watched + "\"]}]}",
                        watcher.expect("pusher_internal:watchlist_events", markers.publish(userChannel)).get(0).get("data").asText());
            }
            assertEquals("{\"events\":[{\"name\":\"offline\",\"user_ids\":[\"" + watched + "\"]}]}",
                    watcher.next("pusher_internal:watchlist_events").get("data").asText());
            watcher.expect(markers.publish(userChannel)); // the last tab's leave told it: no other transition after it
        }
    }

    @Test
    void aWatchlistShowsNothingOfAStrangerWhileItShowsAContact() throws Exception {
        String me = "m" + System.nanoTime();
        String stranger = "s" + System.nanoTime();
        String contact = "c" + System.nanoTime();
        String channel = "presence-watch-stranger-" + System.nanoTime();
        contacts(me, contact);
        try (PusherSocket watcher = PusherSocket.connect(port); PusherSocket strangerTab = PusherSocket.connect(port);
             PusherSocket contactTab = PusherSocket.connect(port)) {
            strangerTab.joinPresence(channel, stranger, "S"); // online before the sign-in: shown offline all the same
            signIn(watcher, "{\"id\":\"" + me + "\",\"watchlist\":[\"" + stranger + "\",\"" + contact + "\"]}");
            assertEquals("{\"events\":[{\"name\":\"offline\",\"user_ids\":[\"" + stranger + "\",\"" + contact + "\"]}]}",
                    watcher.next("pusher_internal:watchlist_events").get("data").asText());
            strangerTab.close(); // offline: a transition the watcher must not see
            try (PusherSocket again = PusherSocket.connect(port)) {
                again.joinPresence(channel, stranger, "S"); // and online again
                contactTab.joinPresence(channel, contact, "C"); // the marker, after both on the same ordered path
                assertEquals("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"" + contact + "\"]}]}",
                        watcher.next("pusher_internal:watchlist_events").get("data").asText(), "the contact's transition comes first and alone");
            }
            watcher.expect(markers.publish("#server-to-user-" + me)); // and nothing about the stranger after it
        }
    }
}
