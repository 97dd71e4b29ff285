package io.presence.gateway.ws;

import static io.presence.gateway.GatewayTestResources.APP2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.store.UserStatus;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Apps are tenants: the same user id in two apps is two users, and no status of one reaches the other. */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class AppIsolationTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    UserPresenceStore users;

    @Inject
    EventPublisher publisher;

    @Inject
    Markers markers;

    private static String unique(String name) {
        return name + System.nanoTime();
    }

    @Test
    void aStatusOfTheMainAppsUserNeverReachesAnotherAppsUserOfTheSameId() throws Exception {
        String user = unique("42-");
        String channel = unique("presence-tenant-a-");
        String channel2 = unique("presence-tenant-b-");
        try (PusherSocket a = PusherSocket.connect(port);
             PusherSocket other = PusherSocket.connect(port, APP2);
             PusherSocket same = PusherSocket.connect(port, APP2)) {
            a.joinPresence(channel, user, "A");
            statusUpdate(a, channel, Map.of("status", "busy", "text", "secret-of-app-A"));
            assertEquals(json("{\"user_id\":\"" + user + "\",\"user_info\":{\"id\":\"" + user
                    + "\",\"name\":\"A\",\"status\":\"busy\",\"text\":\"secret-of-app-A\"}}"), PusherSocket.data(a.next("pusher:member_updated")));

            other.joinPresence(channel2, "other", "Other");
            JsonNode joined = same.joinPresence(channel2, user, "B");
            JsonNode plain = json("{\"id\":\"" + user + "\",\"name\":\"B\",\"status\":\"online\"}");
            assertEquals(plain, joined.get("hash").get(user), "app2's user starts from app2's state");
            assertEquals(json("{\"user_id\":\"" + user + "\",\"user_info\":" + plain + "}"),
                    PusherSocket.data(other.next("pusher_internal:member_added")));

            try (PusherSocket late = PusherSocket.connect(port, APP2)) {
                JsonNode members = late.joinPresence(channel2, unique("late-"), "Late");
                assertEquals(plain, members.get("hash").get(user), "app2's other members see no status of app A");
                other.next("pusher_internal:member_added");
                same.next("pusher_internal:member_added");
            }
            other.next("pusher_internal:member_removed");
            same.next("pusher_internal:member_removed");

            // a second change of app A's user, while app2's user of the same id is present: nothing reaches app2
            statusUpdate(a, channel, Map.of("status", "away", "text", "still-secret"));
            a.next("pusher:member_updated");
            String marker = app2Marker(channel2);
            other.expect(marker); // the marker comes first and alone
            same.expect(marker);
            assertEquals(UserStatus.DEFAULT, users.status(APP2.id(), user).await().atMost(Markers.WAIT));
            assertEquals("away", users.status("app-id", user).await().atMost(Markers.WAIT).status().wire());
        }
    }

    private static void statusUpdate(PusherSocket socket, String channel, Map<String, Object> data) throws Exception {
        socket.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-status-update", "channel", channel, "data", data)));
    }

    /** Publishes a marker on a channel of app2 after everything numbered before it; answers its event. */
    private String app2Marker(String channel) {
        String event = unique("app2-marker-");
        publisher.publish(APP2.id(), channel, ChannelEvent.server(event, "{}", null)).await().atMost(Markers.WAIT);
        return event;
    }

    private static JsonNode json(String text) throws Exception {
        return PusherSocket.JSON.readTree(text);
    }
}
