package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.testing.RequiredTool;
import io.presence.infra.RedisProcess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * Redis losing everything under two gateway processes and presence-service: restarted without persistence (every
 * connection drops), or emptied while the connections stay up. Live gateways register their presence again; nobody
 * reconnects and no subscriber is told anything, and the channel keeps working. "Told nothing" is checked with
 * barriers: once each gateway has no channel left repairing or holding members it suspects gone
 * ({@code events_channels_unsettled}), a marker event through the HTTP API is the next frame every socket gets.
 * The time the HTTP API takes to list everyone again is a figure of the fault benchmark (docs/benchmarks.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRestartIT {

    private static final int USERS = 200;

    private static RedisProcess redis;
    private static ServiceSuite suite;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void start() throws Exception {
        RequiredTool.require(RedisProcess.available(), "redis-server", "apt-get install redis-server");
        redis = RedisProcess.start(ServiceSuite.ROOT.resolve("system-tests/target/redis-restart-" + UUID.randomUUID()));
        suite = new ServiceSuite("restart", null, redis.endpoint());
        suite.start("presence-service", Map.of());
        gatewayA = suite.startGateway("gateway-a", Map.of());
        gatewayB = suite.startGateway("gateway-b", Map.of());
        suite.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void aRestartWithoutPersistenceIsSilent() throws Exception {
        String channel = "presence-restart-" + UUID.randomUUID();
        List<RawSocket> sockets = joinAll(channel);
        long started = System.nanoTime();
        redis.restart();
        assertNobodyWasTold(channel, sockets);
        System.out.printf("[restart] every user listed again and every channel settled %d ms after the restart%n",
                (System.nanoTime() - started) / 1_000_000);
        aLateJoinerIsAnnouncedOnce(channel, sockets);
    }

    @Test
    @Order(2)
    void redisEmptiedUnderLiveConnectionsIsSilent() throws Exception {
        String channel = "presence-amnesia-" + UUID.randomUUID();
        List<RawSocket> sockets = joinAll(channel);
        try (Jedis jedis = new Jedis(redis.endpoint().host(), redis.endpoint().port())) {
            jedis.flushAll(); // the connections stay up: the gateways find out at their next lease renewal
        }
        assertNobodyWasTold(channel, sockets);
        aLateJoinerIsAnnouncedOnce(channel, sockets);
    }

    /** USERS users on the channel, alternately on each gateway; every join announced to the first two before they return. */
    private static List<RawSocket> joinAll(String channel) throws Exception {
        List<RawSocket> sockets = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            RawSocket s = new RawSocket((i % 2 == 0 ? gatewayA : gatewayB).port);
            s.join(channel, "user-" + i);
            sockets.add(s);
        }
        String marker = GatewayApi.mark(gatewayA, channel);
        for (int i = 0; i < 2; i++) {
            long added = sockets.get(i).framesBefore(marker).stream().filter(f -> event(f).equals("pusher_internal:member_added")).count();
            assertEquals(USERS - 1 - i, added, "socket " + i + " was told of everyone who joined after it, once");
        }
        for (RawSocket s : sockets.subList(2, sockets.size())) {
            s.framesUntil(marker);
        }
        return sockets;
    }

    /**
     * Everyone is listed again by both gateways, and no socket was told anything or closed: each gateway has settled
     * (no channel repairing, no suspect waiting for its grace period), then a marker is the next frame everywhere. A
     * first marker makes sure each gateway has seen an event after the loss (the gap it finds is repaired before the
     * marker is delivered); the wait for settling covers departures a repair would announce only after its grace.
     */
    private static void assertNobodyWasTold(String channel, List<RawSocket> sockets) throws Exception {
        Set<String> users = new HashSet<>();
        for (int i = 0; i < USERS; i++) {
            users.add("user-" + i);
        }
        await().atMost(RawSocket.WAIT).until(() -> GatewayApi.channelUsers(gatewayA, channel).equals(users)
                && GatewayApi.channelUsers(gatewayB, channel).equals(users));
        List<String> told = new ArrayList<>();
        String first = GatewayApi.mark(gatewayA, channel);
        for (RawSocket s : sockets) {
            s.framesBefore(first).forEach(f -> told.add(f.toString()));
        }
        await().atMost(RawSocket.WAIT).until(() -> unsettled("gateway-a") == 0 && unsettled("gateway-b") == 0);
        String second = GatewayApi.mark(gatewayB, channel);
        for (RawSocket s : sockets) {
            s.framesBefore(second).forEach(f -> told.add(f.toString()));
            assertTrue(!s.closedByServer(), "no socket was closed");
        }
        assertEquals(List.of(), told, "nobody was told anything");
    }

    /** The channel still works: one more user is announced to everyone exactly once. */
    private static void aLateJoinerIsAnnouncedOnce(String channel, List<RawSocket> sockets) throws Exception {
        RawSocket late = new RawSocket(gatewayB.port);
        assertEquals(USERS + 1, late.join(channel, "late"));
        String marker = GatewayApi.mark(gatewayA, channel);
        for (RawSocket s : sockets) {
            List<String> events = s.framesBefore(marker).stream().map(RedisRestartIT::event).toList();
            assertEquals(List.of("pusher_internal:member_added"), events);
        }
        late.close();
        sockets.forEach(RawSocket::close);
    }

    private static double unsettled(String gateway) throws Exception {
        return Metrics.sum(suite.managementPort(gateway), "events_channels_unsettled");
    }

    private static String event(JsonNode frame) {
        return frame.path("event").asText();
    }
}
