package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Gateways that pause, gateways that die, and a presence-service that is down when one dies, with the default lease
 * timing: watchers on another gateway are told exactly what changed (every member once, nothing twice), within the
 * targets of the README's "How presence survives failures", and the HTTP API agrees. Two presence-service replicas
 * reap side by side throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFaultsIT {

    private static final String CHANNEL = "presence-faults-" + UUID.randomUUID();
    private static final int USERS_ON_B = 200;
    private static final int USERS_ON_C = 50;
    private static final long TARGET_MS = 5_000;

    private static ServiceSuite suite;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static ServiceProcess gatewayC;
    private static final List<RawSocket> watchers = new ArrayList<>();
    private static final List<RawSocket> onB = new ArrayList<>();
    private static final List<RawSocket> onC = new ArrayList<>();
    private static final Set<String> usersOnB = new TreeSet<>();
    private static final Set<String> usersOnC = new TreeSet<>();
    private static final Set<String> watcherIds = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        suite = ServiceSuite.onLocalRedis("faults");
        suite.start("presence-service", Map.of());
        suite.startReplica("presence-service", "presence-service-2", Map.of());
        gatewayA = suite.startGateway("gateway-a", Map.of());
        gatewayB = suite.startGateway("gateway-b", Map.of());
        gatewayC = suite.startGateway("gateway-c", Map.of());
        suite.awaitReady();

        for (int i = 0; i < 3; i++) {
            RawSocket w = new RawSocket(gatewayA.port);
            w.join(CHANNEL, "watcher-" + i);
            watchers.add(w);
            watcherIds.add("watcher-" + i);
        }
        join(gatewayB, "b-user-", USERS_ON_B, onB, usersOnB);
        join(gatewayC, "c-user-", USERS_ON_C, onC, usersOnC);
        for (int i = 0; i < watchers.size(); i++) {
            Set<String> due = new TreeSet<>(usersOnB);
            due.addAll(usersOnC);
            watcherIds.stream().skip(i + 1).forEach(due::add); // the watchers that joined after this one
            expectEach(watchers.get(i), "pusher_internal:member_added", due, 30_000);
        }
        assertEquals(everyone(), GatewayApi.channelUsers(gatewayA, CHANNEL));
    }

    private static void join(ServiceProcess gateway, String prefix, int count, List<RawSocket> sockets, Set<String> ids) throws Exception {
        for (int i = 0; i < count; i++) {
            RawSocket s = new RawSocket(gateway.port);
            s.join(CHANNEL, prefix + i);
            sockets.add(s);
            ids.add(prefix + i);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void aGatewayPausedForTwoSecondsLosesNobody() throws Exception {
        gatewayB.pause();
        Thread.sleep(2_000);
        gatewayB.resume();
        // past the lease and a reaper pass had the pause cost the lease
        for (RawSocket w : watchers) {
            assertEquals(List.of(), memberEvents(w.framesWithin(w == watchers.get(0) ? 4_000 : 100)), "no member event at all");
        }
        assertEquals(everyone(), GatewayApi.channelUsers(gatewayA, CHANNEL), "the HTTP API still lists everyone");
        assertNoSocketClosed();
    }

    @Test
    @Order(2)
    void aGatewayPausedPastItsLeaseComesBackAndIsAnnouncedOnceWithoutReconnects() throws Exception {
        long paused = System.currentTimeMillis();
        gatewayB.pause();
        System.out.printf("[faults] paused gateway reaped: %s%n",
                expectAtEveryWatcher("pusher_internal:member_removed", usersOnB, everyoneBut(usersOnB), paused, 9_000));
        Thread.sleep(Math.max(0, 10_000 - (System.currentTimeMillis() - paused)));

        gatewayB.resume();
        long resumed = System.currentTimeMillis();
        System.out.printf("[faults] resumed gateway announced again: %s%n",
                expectAtEveryWatcher("pusher_internal:member_added", usersOnB, everyone(), resumed, TARGET_MS));
        assertNoSocketClosed();
        // the resumed gateway's own sockets still work: a client event from one of them reaches the watchers
        onB.get(0).send(Map.of("event", "client-back", "channel", CHANNEL, "data", Map.of()));
        for (RawSocket w : watchers) {
            JsonNode back = w.next("client-back", 5_000);
            assertEquals("b-user-0", back == null ? null : back.get("user_id").asText());
        }
    }

    @Test
    @Order(3)
    void aKilledGatewaysMembersAreGoneWithinFiveSeconds() throws Exception {
        long killed = System.currentTimeMillis();
        gatewayB.kill();
        System.out.printf("[faults] killed gateway's %d members removed: %s%n", USERS_ON_B,
                expectAtEveryWatcher("pusher_internal:member_removed", usersOnB, everyoneBut(usersOnB), killed, TARGET_MS));
    }

    @Test
    @Order(4)
    void aGatewayThatDiesWhilePresenceServiceIsDownIsReapedWhenItComesBack() throws Exception {
        suite.service("presence-service").kill();
        suite.service("presence-service-2").kill();
        gatewayC.kill();
        for (RawSocket w : watchers) {
            assertEquals(List.of(), memberEvents(w.framesWithin(w == watchers.get(0) ? 30_000 : 100)), "no reaper, no news");
        }
        Thread restartSecond = new Thread(() -> {
            try {
                suite.startAgain("presence-service-2", "presence-service-2-again");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restartSecond.start();
        suite.startAgain("presence-service", "presence-service-again");
        long ready = System.currentTimeMillis();
        System.out.printf("[faults] gateway that died during the presence-service outage reaped after it was back: %s%n",
                expectAtEveryWatcher("pusher_internal:member_removed", usersOnC, watcherIds, ready, 10_000));
        restartSecond.join(120_000);
        for (RawSocket w : watchers) {
            assertEquals(List.of(), memberEvents(w.framesWithin(w == watchers.get(0) ? 2_000 : 100)),
                    "the second replica announces nothing again");
        }
    }

    /** Milliseconds from a fault until every watcher had been told, and until the HTTP API agreed. */
    private record Took(long events, long api) {
    }

    /**
     * Every watcher is told about exactly {@code users} (each once, nothing more) and the HTTP API lists {@code listed},
     * both within {@code millis} of {@code since}.
     */
    private static Took expectAtEveryWatcher(String event, Set<String> users, Set<String> listed, long since, long millis) throws Exception {
        List<List<String>> told = new ArrayList<>();
        for (RawSocket w : watchers) {
            told.add(w.userIdsOf(event, users.size(), millis - (System.currentTimeMillis() - since)));
        }
        long events = System.currentTimeMillis() - since;
        while (System.currentTimeMillis() - since < millis && !GatewayApi.channelUsers(gatewayA, CHANNEL).equals(listed)) {
            Thread.sleep(20);
        }
        long api = System.currentTimeMillis() - since;
        assertEquals(listed, GatewayApi.channelUsers(gatewayA, CHANNEL), "the HTTP API within " + millis + " ms");
        for (int i = 0; i < watchers.size(); i++) {
            told.get(i).addAll(watchers.get(i).userIdsOf(event, 1, 300));
            assertExactly(users, told.get(i), event + " at watcher " + i + " within " + millis + " ms");
        }
        return new Took(events, api);
    }

    /** Reads the socket's frames of one event until it was told about {@code users}, and checks nothing more follows. */
    private static void expectEach(RawSocket socket, String event, Set<String> users, long millis) throws InterruptedException {
        List<String> told = socket.userIdsOf(event, users.size(), millis);
        told.addAll(socket.userIdsOf(event, 1, 300));
        assertExactly(users, told, event);
    }

    private static void assertExactly(Set<String> users, List<String> told, String what) {
        assertEquals(users.size(), told.size(), what + ": every user, none twice");
        assertEquals(users, new TreeSet<>(told), what);
    }

    private static Set<String> everyone() {
        Set<String> all = new TreeSet<>(watcherIds);
        all.addAll(usersOnB);
        all.addAll(usersOnC);
        return all;
    }

    private static Set<String> everyoneBut(Set<String> gone) {
        Set<String> left = new TreeSet<>(everyone());
        left.removeAll(gone);
        return left;
    }

    private static List<String> memberEvents(List<JsonNode> frames) {
        return frames.stream().map(f -> f.get("event").asText()).filter(e -> e.contains("member")).toList();
    }

    private static void assertNoSocketClosed() {
        assertEquals(0, Stream.of(watchers, onB, onC).flatMap(List::stream).filter(RawSocket::closedByServer).count(),
                "no socket was closed");
    }
}
