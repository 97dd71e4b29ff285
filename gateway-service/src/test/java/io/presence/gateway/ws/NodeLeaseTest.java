package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.NodeLeases.Renewal;
import io.presence.common.presence.NodeLeases;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.gateway.node.NodeIdentity;
import io.presence.testsupport.PusherSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A gateway that outlived its lease (a long pause) waits while a reaper removes it, then takes the lease again and
 * registers its live connections: subscribers are told of the departure once and of the return once, nobody reconnects.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class NodeLeaseTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    NodeLeases leases;

    @Inject
    ChannelPresence presence;

    @Inject
    MeterRegistry metrics;

    @Test
    void aReapedGatewayRegistersItsLiveConnectionsOnceTheReapIsOver() throws Exception {
        PresenceSchema schema = config.schema();
        String channel = "presence-lease-" + System.nanoTime();
        String ana = "ana" + System.nanoTime();
        double lostBefore = metrics.counter("node.lease.lost").count();
        String watcherId = "watcher" + System.nanoTime();
        try (PusherSocket watcher = PusherSocket.connect(port); PusherSocket anaTab = PusherSocket.connect(port)) {
            watcher.joinPresence(channel, watcherId, "Watcher");
            anaTab.joinPresence(channel, ana, "Ana");
            watcher.next("pusher_internal:member_added");

            // the lease ran out (as during a long pause) and a reaper claimed the node before it could renew
            redis.execute("SET", schema.nodeReaper(node.id()), "test-reaper", "PX", "60000");
            redis.execute("DEL", schema.nodeLease(node.id()));
            // what the node's renewer does meanwhile, asked directly: it is told to wait, and takes no lease
            assertEquals(Renewal.BEING_REAPED, leases.renew(node.id(), config.leaseTtl()).await().atMost(Markers.WAIT));
            assertFalse(redis.key().exists(schema.nodeLease(node.id())), "no lease taken while the reap runs");
            presence.reap(node.id()).await().atMost(Markers.WAIT);
            leases.reaped(node.id()).await().atMost(Markers.WAIT);

            Awaitility.await().atMost(Markers.WAIT)
                    .until(() -> presence.visibleMembers("app-id", channel).await().atMost(Markers.WAIT).size() == 2);
            assertTrue(redis.key().exists(schema.nodeLease(node.id())));
            assertEquals(lostBefore + 1, metrics.counter("node.lease.lost").count());
            assertTrue(metrics.timer("node.lease.renewal.lag").count() > 0, "renewals are measured");

            // both sockets stayed open and still hear each other: ana's client event, numbered after her return,
            // is the marker up to which the watcher got each member's departure once and return once
            anaTab.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-hi", "channel", channel, "data", "{}")));
            List<JsonNode> frames = watcher.framesUntil("client-hi");
            assertEquals(ana, frames.get(frames.size() - 1).get("user_id").asText());
            Map<String, List<String>> byMember = new HashMap<>();
            for (JsonNode frame : frames.subList(0, frames.size() - 1)) {
                String member = PusherSocket.data(frame).path("user_id").asText();
                byMember.computeIfAbsent(member, m -> new ArrayList<>()).add(PusherSocket.event(frame));
            }
            List<String> goneAndBack = List.of("pusher_internal:member_removed", "pusher_internal:member_added");
            assertEquals(Map.of(ana, goneAndBack, watcherId, goneAndBack), byMember, frames.toString());
        }
    }
}
