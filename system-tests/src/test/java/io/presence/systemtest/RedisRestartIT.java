package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.infra.RedisProcess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis restarted empty (killed and started again without persistence) under 200 present users on two gateways:
 * the gateways register everyone again, so nobody is told anything (no member event), no socket is closed, and the
 * HTTP API lists every user again within 2 s of the restart.
 */
class RedisRestartIT {

    private static RedisProcess redis;
    private static ServiceSuite suite;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RedisProcess.available(), "needs redis-server to restart a private Redis");
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
    void presenceComesBackWithoutAnyoneBeingTold() throws Exception {
        String channel = "presence-restart-" + UUID.randomUUID();
        List<RawSocket> sockets = new ArrayList<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            RawSocket s = new RawSocket((i % 2 == 0 ? gatewayA : gatewayB).port);
            s.join(channel, "user-" + i);
            sockets.add(s);
            users.add("user-" + i);
        }
        RawSocket watcherA = sockets.get(0);
        RawSocket watcherB = sockets.get(1);
        long expectedAdded = 199;
        assertEquals(expectedAdded, watcherA.framesWithin(2_000).stream().filter(f -> event(f).equals("pusher_internal:member_added")).count());
        sockets.forEach(s -> s.frames().clear());

        long restarted = System.nanoTime();
        redis.restart();
        while (!GatewayApi.channelUsers(gatewayA, channel).equals(users) && System.nanoTime() - restarted < 10_000_000_000L) {
            Thread.sleep(50);
        }
        long millis = (System.nanoTime() - restarted) / 1_000_000;
        assertEquals(users, GatewayApi.channelUsers(gatewayA, channel), "every user is listed again");
        assertEquals(users, GatewayApi.channelUsers(gatewayB, channel));
        assertTrue(millis <= 2_000, "the HTTP API was right again " + millis + " ms after the restart");

        // past the grace period for departures a repair finds: still nobody was told anything
        Thread.sleep(7_000);
        List<String> memberEvents = new ArrayList<>();
        for (RawSocket s : sockets) {
            JsonNode frame;
            while ((frame = s.frames().poll()) != null) {
                if (event(frame).contains("member")) {
                    memberEvents.add(frame.toString());
                }
            }
            assertTrue(!s.closedByServer(), "no socket was closed");
        }
        assertEquals(List.of(), memberEvents, "no member event");
        // and the channel still works: one more user is announced to everyone exactly once
        RawSocket late = new RawSocket(gatewayB.port);
        assertEquals(201, late.join(channel, "late"));
        assertEquals("late", RawSocket.data(watcherA.next("pusher_internal:member_added")).get("user_id").asText());
        assertEquals("late", RawSocket.data(watcherB.next("pusher_internal:member_added")).get("user_id").asText());
        late.close();
        sockets.forEach(RawSocket::close);
    }

    private static String event(JsonNode frame) {
        return frame.path("event").asText();
    }
}
