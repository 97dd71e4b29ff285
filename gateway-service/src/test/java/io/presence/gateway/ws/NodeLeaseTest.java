package io.presence.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.NodeLeases;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.gateway.GatewayStores;
import io.presence.gateway.presence.NodeIdentity;
import io.presence.testsupport.PusherSocket;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A gateway that outlived its lease (a long pause) waits while a reaper removes it, then takes the lease again and
 * registers its live connections: subscribers are told of the departure once and of the return once, nobody reconnects.
 */
@QuarkusTest
@WithTestResource(GatewayStores.class)
class NodeLeaseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

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
        try (PusherSocket watcher = PusherSocket.connect(port); PusherSocket anaTab = PusherSocket.connect(port)) {
            watcher.joinPresence(channel, "watcher" + System.nanoTime(), "Watcher");
            anaTab.joinPresence(channel, ana, "Ana");
            watcher.next("pusher_internal:member_added");

            // the lease ran out (as during a long pause) and a reaper claimed the node before it could renew
            redis.execute("SET", schema.nodeReaper(node.id()), "test-reaper", "PX", "60000");
            redis.execute("DEL", schema.nodeLease(node.id()));
            Thread.sleep(3 * config.leaseRenewal().toMillis());
            assertFalse(redis.key().exists(schema.nodeLease(node.id())), "no lease taken while the reap runs");
            presence.reap(node.id()).await().atMost(WAIT);
            leases.reaped(node.id()).await().atMost(WAIT);

            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (System.currentTimeMillis() < deadline && presence.visibleMembers("app-id", channel).await().atMost(WAIT).size() < 2) {
                Thread.sleep(50);
            }
            assertEquals(2, presence.visibleMembers("app-id", channel).await().atMost(WAIT).size(), "both registered again");
            assertTrue(redis.key().exists(schema.nodeLease(node.id())));
            List<String> aboutAna = watcher.framesWithin(1_000).stream()
                    .filter(f -> f.path("event").asText().startsWith("pusher_internal:member_"))
                    .filter(f -> watcher.data(f).path("user_id").asText().equals(ana))
                    .map(f -> f.get("event").asText()).toList();
            assertEquals(List.of("pusher_internal:member_removed", "pusher_internal:member_added"), aboutAna, "gone once, back once");
            assertEquals(lostBefore + 1, metrics.counter("node.lease.lost").count());
            assertTrue(metrics.timer("node.lease.renewal.lag").count() > 0, "renewals are measured");

            // both sockets stayed open and still hear each other
            anaTab.send(PusherSocket.JSON.writeValueAsString(java.util.Map.of("event", "client-hi", "channel", channel, "data", "{}")));
            JsonNode hi = watcher.next("client-hi");
            assertEquals(ana, hi.get("user_id").asText());
        }
    }
}
