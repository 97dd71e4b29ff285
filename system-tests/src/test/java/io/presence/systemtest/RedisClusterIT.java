package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.infra.RedisCluster;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same gateways and presence-service, unchanged, on a local three-master Redis Cluster: presence, statuses,
 * client events and HTTP API events cross gateways exactly once, and the HTTP API agrees.
 */
class RedisClusterIT {

    private static RedisCluster cluster;
    private static ServiceSuite suite;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RedisCluster.available(), "needs redis-server and redis-cli for a local cluster");
        cluster = RedisCluster.start(ServiceSuite.ROOT.resolve("system-tests/target/redis-cluster-" + UUID.randomUUID()), 3, 0);
        Map<String, String> onCluster = Map.of("QUARKUS_REDIS_CLIENT_TYPE", "cluster", "QUARKUS_REDIS_HOSTS", String.join(",", cluster.urls()));
        suite = new ServiceSuite("cluster", null, cluster.nodes().get(0).endpoint());
        suite.start("presence-service", onCluster);
        gatewayA = suite.startGateway("gateway-a", onCluster);
        gatewayB = suite.startGateway("gateway-b", onCluster);
        suite.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void presenceStatusesAndEventsWorkAcrossGatewaysOnACluster() throws Exception {
        String channel = "presence-cluster-" + UUID.randomUUID();
        RawSocket ana = new RawSocket(gatewayA.port);
        PresenceReplay seenByAna = new PresenceReplay();
        seenByAna.apply(ana.joinFrame(channel, "ana"));
        RawSocket bob = new RawSocket(gatewayB.port);
        PresenceReplay seenByBob = new PresenceReplay();
        seenByBob.apply(bob.joinFrame(channel, "bob"));
        RawSocket bobTab = new RawSocket(gatewayA.port);
        bobTab.joinFrame(channel, "bob");

        bob.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "busy", "text", "call")));
        ana.send(Map.of("event", "client-wave", "channel", channel, "data", Map.of("hi", 1)));
        GatewayApi.trigger(gatewayB, channel, "news", "{\"n\":1}");
        assertEquals(Set.of("ana", "bob"), GatewayApi.channelUsers(gatewayA, channel));
        List<String> toBob = bob.framesWithin(1_500).stream().map(f -> f.get("event").asText())
                .filter(e -> e.startsWith("client-") || e.equals("news")).sorted().toList();
        assertEquals(List.of("client-wave", "news"), toBob, "each once, and not its own status update");
        bobTab.close();
        bob.close();

        List<JsonNode> toAna = ana.framesWithin(3_000);
        toAna.forEach(seenByAna::apply);
        assertEquals(List.of(), seenByAna.duplicates);
        assertEquals(Map.of("ana", "online"), seenByAna.statuses(), "bob came, went busy, and left");
        assertEquals(1, seenByAna.added);
        assertEquals(1, seenByAna.updated);
        assertEquals(1, seenByAna.removed);
        assertEquals(List.of("client-status-update", "news"), toAna.stream().map(f -> f.get("event").asText())
                .filter(e -> e.equals("client-status-update") || e.equals("news")).toList());
        ana.close();
    }
}
