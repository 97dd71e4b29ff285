package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.presence.ChannelPresence;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.gateway.events.Brokers;
import io.presence.testsupport.PusherSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What is published while this gateway's pub/sub connection is cut reaches its subscribers once the connection is
 * back, exactly once: a member who joined elsewhere as one member_added, a stored event replayed in order, and no
 * fresh member list.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class BusOutageTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    RedisDataSource redis;

    @Inject
    Brokers brokers;

    @Inject
    ChannelPresence presence;

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry metrics;

    @Test
    void whatWasPublishedDuringTheCutArrivesOnceAfterwards() throws Exception {
        String channel = "presence-gap-" + System.nanoTime();
        String ghost = "ghost" + System.nanoTime();
        double repairsBefore = metrics.counter("event.gaps.repaired").count();
        try (PusherSocket watcher = PusherSocket.connect(port)) {
            watcher.joinPresence(channel, "watcher" + System.nanoTime(), "Watcher");
            redis.execute("CLIENT", "KILL", "ID", busConnectionId());

            // another gateway's user joins and a backend publishes while this gateway hears nothing
            presence.join("app-id", channel, "gw-elsewhere", "elsewhere-1", ghost, PusherSocket.JSON.createObjectNode().put("name", "Ghost"),
                    null, 100).await().atMost(Markers.WAIT);
            publisher.publish("app-id", channel, ChannelEvent.server("news", "{\"n\":1}", null)).await().atMost(Markers.WAIT);

            // exactly these, in order; the next news, published after them, shows that nothing else came (no fresh
            // member list) and that the channel works live again
            List<JsonNode> frames = watcher.expect("pusher_internal:member_added", "news");
            assertEquals(ghost, PusherSocket.data(frames.get(0)).get("user_id").asText());
            assertEquals("{\"n\":1}", frames.get(1).get("data").asText());
            publisher.publish("app-id", channel, ChannelEvent.server("news", "{\"n\":2}", null)).await().atMost(Markers.WAIT);
            assertEquals("{\"n\":2}", watcher.next("news").get("data").asText());
            Awaitility.await().atMost(Markers.WAIT).until(() -> metrics.counter("event.gaps.repaired").count() > repairsBefore);
        }
    }

    private String busConnectionId() {
        for (String line : redis.execute("CLIENT", "LIST").toString().split("\n")) {
            if (line.contains(" name=" + brokers.clientName() + " ")) {
                return line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
            }
        }
        throw new AssertionError("the bus connection is named " + brokers.clientName());
    }
}
