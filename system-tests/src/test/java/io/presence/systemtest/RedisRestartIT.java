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
 * ({@code events_channels_unsettled}), a marker is the next frame every socket gets. The markers are client events of
 * an observer member: they are numbered on the channel like everything else but not stored, so the channel keeps no
 * events a restart could lose (a channel that does is right to tell its subscribers {@code pusher:events_missed}).
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

    /** A way Redis loses everything. */
    private interface Loss {
        void happen() throws Exception;
    }

    @Test
    @Order(1)
    void aRestartWithoutPersistenceIsSilent() throws Exception {
        silentThrough("restart", redis::restart);
    }

    @Test
    @Order(2)
    void redisEmptiedUnderLiveConnectionsIsSilent() throws Exception {
        silentThrough("amnesia", () -> {
            try (Jedis jedis = new Jedis(redis.endpoint().host(), redis.endpoint().port())) {
                jedis.flushAll(); // the connections stay up: the gateways find out at their next lease renewal
            }
        });
    }

    /** USERS users and an observer on a channel, then the loss: nobody is told anything, and the channel still works. */
    private static void silentThrough(String loss, Loss happen) throws Exception {
        String channel = "presence-" + loss + "-" + UUID.randomUUID();
        RawSocket observer = observe(channel);
        List<RawSocket> sockets = joinAll(channel, observer);
        long started = System.nanoTime();
        happen.happen();
        assertNobodyWasTold(channel, observer, sockets);
        System.out.printf("[%s] every user listed again and every channel settled %d ms after the loss%n", loss,
                (System.nanoTime() - started) / 1_000_000);
        aLateJoinerIsAnnouncedOnce(channel, observer, sockets);
    }

    /** The member whose client events are the markers (it never reads its own frames). */
    private static RawSocket observe(String channel) throws Exception {
        RawSocket observer = new RawSocket(gatewayA.port);
        observer.join(channel, "observer");
        observer.ignore("pusher_internal:member_added");
        return observer;
    }

    /** Sends a marker from the observer: a client event every other member gets after all that came before it. */
    private static String mark(RawSocket observer, String channel) throws Exception {
        String marker = "client-marker-" + UUID.randomUUID();
        observer.send(Map.of("event", marker, "channel", channel, "data", Map.of()));
        return marker;
    }

    /** USERS users on the channel, alternately on each gateway; each told of everyone who joined after it, once. */
    private static List<RawSocket> joinAll(String channel, RawSocket observer) throws Exception {
        List<RawSocket> sockets = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            RawSocket s = new RawSocket((i % 2 == 0 ? gatewayA : gatewayB).port);
            s.join(channel, "user-" + i);
            sockets.add(s);
        }
        String marker = mark(observer, channel);
        for (int i = 0; i < sockets.size(); i++) {
            long added = sockets.get(i).framesBefore(marker).stream().filter(f -> event(f).equals("pusher_internal:member_added")).count();
            assertEquals(USERS - 1 - i, added, "socket " + i + " was told of everyone who joined after it, once");
        }
        return sockets;
    }

    /**
     * Everyone is listed again by both gateways, and no socket was told anything or closed: each gateway has settled
     * (no channel repairing, no suspect waiting for its grace period), then a marker is the next frame everywhere. A
     * first marker makes sure each gateway has seen an event after the loss (the gap it finds is repaired before the
     * marker is delivered); the wait for settling covers departures a repair would announce only after its grace.
     */
    private static void assertNobodyWasTold(String channel, RawSocket observer, List<RawSocket> sockets) throws Exception {
        Set<String> users = new HashSet<>(Set.of("observer"));
        for (int i = 0; i < USERS; i++) {
            users.add("user-" + i);
        }
        await().atMost(RawSocket.WAIT).until(() -> GatewayApi.channelUsers(gatewayA, channel).equals(users)
                && GatewayApi.channelUsers(gatewayB, channel).equals(users));
        List<String> told = new ArrayList<>();
        String first = mark(observer, channel);
        for (RawSocket s : sockets) {
            s.framesBefore(first).forEach(f -> told.add(f.toString()));
        }
        await().atMost(RawSocket.WAIT).until(() -> unsettled("gateway-a") == 0 && unsettled("gateway-b") == 0);
        String second = mark(observer, channel);
        for (RawSocket s : sockets) {
            s.framesBefore(second).forEach(f -> told.add(f.toString()));
            assertTrue(!s.closedByServer(), "no socket was closed");
        }
        assertEquals(List.of(), told, "nobody was told anything");
    }

    /** The channel still works: one more user is announced to everyone exactly once. */
    private static void aLateJoinerIsAnnouncedOnce(String channel, RawSocket observer, List<RawSocket> sockets) throws Exception {
        RawSocket late = new RawSocket(gatewayB.port);
        assertEquals(USERS + 2, late.join(channel, "late"));
        String marker = mark(observer, channel);
        for (RawSocket s : sockets) {
            List<String> events = s.framesBefore(marker).stream().map(RedisRestartIT::event).toList();
            assertEquals(List.of("pusher_internal:member_added"), events);
        }
        late.close();
        observer.close();
        sockets.forEach(RawSocket::close);
    }

    private static double unsettled(String gateway) throws Exception {
        return Metrics.sum(suite.managementPort(gateway), "events_channels_unsettled");
    }

    private static String event(JsonNode frame) {
        return frame.path("event").asText();
    }
}
