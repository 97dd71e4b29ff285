package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.app.AppRegistry;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventCodec;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.testsupport.PusherSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Status in presence channels: client-status-update, member_updated, invisibility, last seen and blocks. */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class StatusTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    UserPresenceStore users;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig config;

    @Inject
    Markers markers;

    @Inject
    AppRegistry apps;

    private static String unique(String name) {
        return name + System.nanoTime();
    }

    @Test
    void aStatusUpdateReachesEveryoneAndLateJoinersSeeIt() throws Exception {
        String channel = unique("presence-status-");
        String ana = unique("ana");
        String ben = unique("ben");
        try (PusherSocket a = PusherSocket.connect(port); PusherSocket b = PusherSocket.connect(port)) {
            JsonNode first = a.joinPresence(channel, ana, "Ana");
            assertEquals("online", first.get("hash").get(ana).get("status").asText());
            b.joinPresence(channel, ben, "Ben");
            a.next("pusher_internal:member_added");

            send(b, channel, Map.of("status", "busy", "text", "in a meeting"));
            // the classic demo's client event itself still reaches the others, published before the status is stored
            List<JsonNode> toAna = a.expect("client-status-update", "pusher:member_updated");
            assertEquals(ben, toAna.get(0).get("user_id").asText());
            JsonNode toBen = b.next("pusher:member_updated");
            String marker = markers.publish(channel); // after both: nothing else came, and Ben no copy of his own event
            a.expect(marker);
            b.expect(marker);
            for (JsonNode frame : List.of(toAna.get(1), toBen)) {
                JsonNode updated = PusherSocket.data(frame);
                assertEquals(ben, updated.get("user_id").asText());
                assertEquals("busy", updated.get("user_info").get("status").asText());
                assertEquals("in a meeting", updated.get("user_info").get("text").asText());
                assertEquals("Ben", updated.get("user_info").get("name").asText(), "the signed user_info is kept");
            }

            try (PusherSocket c = PusherSocket.connect(port)) {
                JsonNode late = c.joinPresence(channel, unique("cy"), "Cy");
                assertEquals("busy", late.get("hash").get(ben).get("status").asText());
                assertEquals("in a meeting", late.get("hash").get(ben).get("text").asText());
            }
            assertEquals("busy", users.status(apps.mainId(), ben).await().atMost(Markers.WAIT).status().wire());
        }
    }

    @Test
    void freeTextAsStatusIsTheTextAndBadUpdatesAreRefused() throws Exception {
        String channel = unique("presence-text-");
        String ana = unique("ana");
        try (PusherSocket a = PusherSocket.connect(port)) {
            a.joinPresence(channel, ana, "Ana");
            send(a, channel, Map.of("status", "Feeling great"));
            JsonNode info = a.data(a.next("pusher:member_updated")).get("user_info");
            assertEquals("online", info.get("status").asText());
            assertEquals("Feeling great", info.get("text").asText());

            send(a, channel, Map.of("status", "dancing", "text", "x"));
            assertTrue(a.data(a.next("pusher:error")).get("message").asText().contains("online, away, busy, invisible"));
            send(a, channel, Map.of("text", "x".repeat(101)));
            assertTrue(a.data(a.next("pusher:error")).get("message").asText().contains("100"));
            send(a, channel, Map.of("status", "away", "expiresAt", 1000));
            assertTrue(a.data(a.next("pusher:error")).get("message").asText().contains("future"));
            send(a, channel, Map.of("text", "\u001b]0;pwned\u0007"));
            assertTrue(a.data(a.next("pusher:error")).get("message").asText().contains("control characters"));
            // issue 26, point 6: a status may not reorder or hide text to pass for another
            send(a, channel, Map.of("text", "Feeling \u202egreat"));
            assertTrue(a.data(a.next("pusher:error")).get("message").asText().contains("bidirectional controls"));
            send(a, channel, Map.of("status", "Feeling\u200b great"));
            assertTrue(a.data(a.next("pusher:error")).get("message").asText().contains("zero-width characters"));
            a.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-status-update", "channel", channel, "data", "[1]")));
            a.next("pusher:error");
            a.expect(markers.publish(channel)); // refused updates store nothing
            assertEquals("Feeling great", users.status(apps.mainId(), ana).await().atMost(Markers.WAIT).text());
        }
    }

    @Test
    void invisibleMembersLookOfflineToOthersButNotToThemselves() throws Exception {
        String channel = unique("presence-invisible-");
        String ana = unique("ana");
        String ben = unique("ben");
        try (PusherSocket a = PusherSocket.connect(port); PusherSocket b = PusherSocket.connect(port)) {
            a.joinPresence(channel, ana, "Ana");
            b.joinPresence(channel, ben, "Ben");
            a.next("pusher_internal:member_added");

            send(b, channel, Map.of("status", "invisible"));
            // going invisible is leaving to others and an update to oneself, the client event unseen by all
            assertEquals(ben, a.data(a.next("pusher_internal:member_removed")).get("user_id").asText());
            assertEquals("invisible", b.data(b.next("pusher:member_updated")).get("user_info").get("status").asText());
            String marker = markers.publish(channel);
            a.expect(marker);
            b.expect(marker);

            String cy = unique("cy");
            try (PusherSocket c = PusherSocket.connect(port); PusherSocket b2 = PusherSocket.connect(port)) {
                JsonNode late = c.joinPresence(channel, cy, "Cy");
                assertFalse(late.get("hash").has(ben), "an invisible member is not listed: " + late);
                assertEquals(cy, a.data(a.next("pusher_internal:member_added")).get("user_id").asText());
                assertEquals(2, late.get("count").asInt(), "Ana and Cy");
                JsonNode own = b2.joinPresence(channel, ben, "Ben");
                assertTrue(own.get("hash").has(ben), "an invisible member sees themselves");
                a.expect(markers.publish(channel)); // Ben's join is not news
            }
            b.close();
            markers.awaitConnections(channel, 1);
            String afterLeaving = markers.publish(channel);
            assertEquals(cy, a.data(a.expect("pusher_internal:member_removed", afterLeaving).get(0)).get("user_id").asText(),
                    "Cy left; Ben left unseen");

            try (PusherSocket b3 = PusherSocket.connect(port)) {
                b3.joinPresence(channel, ben, "Ben");
                send(b3, channel, Map.of("status", "away"));
                // the first news of Ben since he went invisible: his join said nothing
                JsonNode back = a.data(a.next("pusher_internal:member_added"));
                assertEquals(ben, back.get("user_id").asText());
                assertEquals("away", back.get("user_info").get("status").asText());
            }
        }
    }

    @Test
    void theLastConnectionAnywhereRecordsLastSeen() throws Exception {
        String ana = unique("ana");
        long before = System.currentTimeMillis();
        try (PusherSocket one = PusherSocket.connect(port); PusherSocket two = PusherSocket.connect(port)) {
            one.joinPresence(unique("presence-a-"), ana, "Ana");
            two.joinPresence(unique("presence-b-"), ana, "Ana");
            assertEquals(2, users.snapshot(apps.mainId(), ana).await().atMost(Markers.WAIT).connections());
            one.close();
            awaitConnections(ana, 1);
            assertEquals(0, users.snapshot(apps.mainId(), ana).await().atMost(Markers.WAIT).lastSeen());
        }
        awaitConnections(ana, 0);
        long lastSeen = users.snapshot(apps.mainId(), ana).await().atMost(Markers.WAIT).lastSeen();
        assertTrue(lastSeen >= before && lastSeen <= System.currentTimeMillis(), "last seen " + lastSeen);
    }

    @Test
    void aBlockedUserDoesNotSeeTheBlocker() throws Exception {
        String channel = unique("presence-blocks-");
        String ana = unique("ana");
        String ben = unique("ben");
        PresenceSchema schema = config.schema();
        redis.set(String.class).sadd(schema.blockers(apps.mainId(), ben), ana);
        try (PusherSocket a = PusherSocket.connect(port); PusherSocket b = PusherSocket.connect(port)) {
            a.joinPresence(channel, ana, "Ana");
            JsonNode seenByBen = b.joinPresence(channel, ben, "Ben");
            assertFalse(seenByBen.get("hash").has(ana), "Ben was blocked by Ana: " + seenByBen);
            a.next("pusher_internal:member_added");
            send(a, channel, Map.of("text", "hello"));
            a.next("pusher:member_updated");
            b.expect(markers.publish(channel)); // neither Ana's update nor her client event, both numbered before it

            // Ana lifts the block: Ben's gateway is told and shows her
            redis.set(String.class).srem(schema.blockers(apps.mainId(), ben), ana);
            redis.pubsub(String.class).publish(schema.control(), EventCodec.encode(new ControlCommand.BlocksChanged(ben)));
            assertEquals(ana, b.data(b.next("pusher_internal:member_added")).get("user_id").asText());
            // and blocks again: she is removed from his list
            redis.set(String.class).sadd(schema.blockers(apps.mainId(), ben), ana);
            redis.pubsub(String.class).publish(schema.control(), EventCodec.encode(new ControlCommand.BlocksChanged(ben)));
            assertEquals(ana, b.data(b.next("pusher_internal:member_removed")).get("user_id").asText());
        }
    }

    private void awaitConnections(String user, int expected) {
        Awaitility.await().atMost(Markers.WAIT)
                .until(() -> users.snapshot(apps.mainId(), user).await().atMost(Markers.WAIT).connections() == expected);
    }

    private static void send(PusherSocket socket, String channel, Map<String, Object> data) throws Exception {
        socket.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-status-update", "channel", channel, "data", data)));
    }

    @Test
    void closeSocketsClosesExactlyThoseSocketsAndTheirMembersLeaveOnce() throws Exception {
        String channel = unique("presence-ended-");
        String ana = unique("ana");
        String ben = unique("ben");
        String eve = unique("eve");
        try (PusherSocket a = PusherSocket.connect(port); PusherSocket b = PusherSocket.connect(port);
             PusherSocket watcher = PusherSocket.connect(port)) {
            a.joinPresence(channel, ana, "Ana");
            a.signIn(ana);
            b.joinPresence(channel, ben, "Ben");
            a.next("pusher_internal:member_added");
            watcher.joinPresence(channel, eve, "Eve");
            a.next("pusher_internal:member_added");
            b.next("pusher_internal:member_added");
            // a session of ana ended: user-service names the sockets it authorized (one of them on another gateway)
            ControlCommand close = new ControlCommand.CloseSockets(apps.mainId(), List.of(a.socketId(), "1.1"));
            redis.pubsub(String.class).publish(config.schema().control(), EventCodec.encode(close));
            assertEquals(4009, a.awaitClose(), "4009: pusher-js does not reconnect with the ended session");
            // ana leaves once, as on any close; ben's socket, not named, stays
            assertEquals(ana, PusherSocket.data(watcher.next("pusher_internal:member_removed")).get("user_id").asText());
            assertEquals(ana, PusherSocket.data(b.next("pusher_internal:member_removed")).get("user_id").asText());
            String marker = markers.publish(channel);
            watcher.expect(marker);
            b.expect(marker);
            // a command of another app names no socket of this one
            redis.pubsub(String.class).publish(config.schema().control(),
                    EventCodec.encode(new ControlCommand.CloseSockets("other-app", List.of(b.socketId()))));
            redis.pubsub(String.class).publish(config.schema().control(),
                    EventCodec.encode(new ControlCommand.CloseSockets(apps.mainId(), List.of(watcher.socketId()))));
            assertEquals(4009, watcher.awaitClose());
            assertEquals(eve, PusherSocket.data(b.next("pusher_internal:member_removed")).get("user_id").asText(),
                    "the command after the other app's closed the watcher, and b is still here to see it");
            assertFalse(b.closedByServer());
        }
    }

}
