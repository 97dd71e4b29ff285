package io.presence.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.presence.MemoryPresenceStore;
import io.presence.common.presence.PresenceDiff.Viewer;
import io.presence.common.presence.PresenceStore.Joined;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.Status;
import io.presence.common.store.UserStatus;
import io.presence.gateway.events.MemoryBroker;
import io.presence.gateway.protocol.Frames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A presence channel of this gateway fed by the in-memory store and broker, without Redis: what the store decides
 * reaches the channel's subscribers through the broker, numbered as the channel expects, and what a subscriber is
 * told of each member is what it may see.
 */
class MemoryPresenceChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "presence-room";

    private final PresenceSchema schema = new PresenceSchema("memory-channel-test");
    private final MemoryBroker broker = new MemoryBroker(schema);
    private final MemoryPresenceStore store = new MemoryPresenceStore(broker);
    private final List<Runnable> timers = new ArrayList<>();
    private final LocalChannel channel = new LocalChannel("app", CHANNEL, schema.busChannel("app", CHANNEL), true, new Frames(JSON),
            store::state, (delay, task) -> timers.add(task), Duration.ofSeconds(5), new DeliveryMetrics(new SimpleMeterRegistry()),
            (app, name) -> { });

    private static JsonNode info(String name) {
        return JSON.createObjectNode().put("name", name);
    }

    private Joined join(String node, String connection, String user, JsonNode info) {
        return store.join("app", CHANNEL, node, connection, user, info, null, 100).await().indefinitely();
    }

    /** A subscriber joined as {@code user} and admitted once the channel has its join. */
    private RecordingRecipient subscribe(String socket, String user) {
        RecordingRecipient recipient = new RecordingRecipient(socket);
        channel.expect(recipient);
        Joined joined = join("gw-1", socket, user, info(user));
        channel.admit(recipient, new Viewer(user, joined.blockers()), joined.seq(), joined.member(), false);
        return recipient;
    }

    /** The member ids of the subscription_succeeded the recipient got first, which is then forgotten. */
    private static JsonNode subscribedIds(RecordingRecipient recipient) {
        JsonNode frame = RecordingRecipient.read(recipient.frames.remove(0).text());
        assertEquals("pusher_internal:subscription_succeeded", frame.get("event").asText());
        return RecordingRecipient.read(frame.get("data").asText()).get("presence").get("ids");
    }

    @Test
    void membersJoinChangeAndLeaveForEverySubscriberAsTheyMaySeeThem() {
        broker.onEvent((bus, event) -> channel.onEvent(event));
        broker.listen(schema.busChannel("app", CHANNEL)).await().indefinitely();
        join("gw-0", "a1", "ana", info("ana"));
        channel.load();
        RecordingRecipient zed = subscribe("1.1", "zed");
        assertEquals(List.of("ana", "zed"), JSON.convertValue(subscribedIds(zed), List.class));

        join("gw-2", "b1", "bob", info("bob"));
        join("gw-2", "b2", "bob", info("bob"));
        join("gw-1", "e1", "eve", JSON.createObjectNode().put("name", "eve").put("status", "invisible"));
        assertEquals(1, store.setStatus("app", "bob", new UserStatus(Status.AWAY, "", 0), null).await().indefinitely());
        assertEquals(1, store.setStatus("app", "eve", UserStatus.DEFAULT, null).await().indefinitely());
        assertEquals(1, store.reap("gw-2").await().indefinitely(), "bob's two connections were on the dead node");
        assertEquals(List.of("pusher_internal:member_added bob", "pusher:member_updated bob", "pusher_internal:member_added eve",
                "pusher_internal:member_removed bob"), zed.members());

        RecordingRecipient cy = subscribe("2.1", "cy");
        assertEquals(List.of("ana", "zed", "eve", "cy"), JSON.convertValue(subscribedIds(cy), List.class));
        assertEquals(List.of(), cy.members());
        assertEquals(List.of(), timers, "no admission waited and no repair was needed");
    }
}
