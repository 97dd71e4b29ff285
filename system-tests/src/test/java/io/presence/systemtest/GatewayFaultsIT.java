package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Gateways that pause, gateways that die, and a presence-service that is down when one dies: watchers on another
 * gateway are told exactly what changed (every member once, nothing twice, nothing more: checked with a marker event
 * sent through the HTTP API once the change is complete), and the HTTP API agrees. Runs on the shared suite (gateway
 * A = gateway-service with the watchers, B = gateway-b with 200 users) plus a third gateway C with 50 users and a
 * second presence-service replica, so two replicas reap side by side. How long each takes is measured by the fault
 * benchmark (docs/benchmarks.md); here every wait has a generous ceiling.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedSuite
class GatewayFaultsIT {

    private static final String CHANNEL = "presence-faults-" + UUID.randomUUID();
    private static final int USERS_ON_B = 200;
    private static final int USERS_ON_C = 50;

    private static ServiceSuite suite;
    private static SuiteStore store;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static ServiceProcess gatewayC;
    private static String nodeB;
    private static String nodeC;
    private static final List<RawSocket> watchers = new ArrayList<>();
    private static final List<RawSocket> onB = new ArrayList<>();
    private static final List<RawSocket> onC = new ArrayList<>();
    private static final Set<String> usersOnB = new TreeSet<>();
    private static final Set<String> usersOnC = new TreeSet<>();
    private static final Set<String> watcherIds = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        suite = SharedSuite.suite();
        store = new SuiteStore(suite);
        gatewayA = SharedSuite.gateway();
        gatewayB = SharedSuite.gatewayB();
        Set<String> before = store.nodes();
        suite.startReplica("presence-service", "presence-service-2", Map.of());
        gatewayC = suite.startGateway("gateway-c", Map.of());
        suite.awaitReady();
        Set<String> added = new HashSet<>(store.nodes());
        added.removeAll(before);
        assertEquals(1, added.size(), "gateway C's node: " + added);
        nodeC = added.iterator().next();

        for (int i = 0; i < 3; i++) {
            RawSocket w = new RawSocket(gatewayA.port);
            w.join(CHANNEL, "watcher-" + i);
            watchers.add(w);
            watcherIds.add("watcher-" + i);
        }
        join(gatewayB, "b-user-", USERS_ON_B, onB, usersOnB);
        join(gatewayC, "c-user-", USERS_ON_C, onC, usersOnC);
        nodeB = store.busiestNode("app-id", CHANNEL); // B holds 200 of the channel's connections, C 50, A 3
        List<List<JsonNode>> initial = framesBeforeMarker();
        for (int i = 0; i < watchers.size(); i++) {
            Set<String> due = new TreeSet<>(usersOnB);
            due.addAll(usersOnC);
            watcherIds.stream().skip(i + 1).forEach(due::add); // the watchers that joined after this one
            assertExactly(due, RawSocket.userIdsOf(initial.get(i), "pusher_internal:member_added"), "member_added at watcher " + i);
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
        Stream.of(watchers, onB, onC).flatMap(List::stream).forEach(RawSocket::close);
        if (suite != null) {
            suite.discard("gateway-c");
            suite.discard("presence-service-2");
        }
    }

    @Test
    @Order(1)
    void aGatewayPausedForTwoSecondsLosesNobody() throws Exception {
        gatewayB.pause();
        long resumed;
        try {
            Thread.sleep(2_000); // the stall itself: a GC pause or a CPU-starved container
        } finally {
            gatewayB.resume();
            resumed = System.currentTimeMillis();
        }
        // B renewed its lease after the resume, so no reaper can have claimed it: then a marker closes the window
        await().atMost(RawSocket.WAIT).until(() -> store.leaseExpiry(nodeB) - SharedSuite.LEASE_TTL.toMillis() > resumed);
        for (List<JsonNode> told : framesBeforeMarker()) {
            assertEquals(List.of(), RawSocket.memberEvents(told), "no member event at all");
        }
        assertEquals(everyone(), GatewayApi.channelUsers(gatewayA, CHANNEL), "the HTTP API still lists everyone");
        assertNoSocketClosed();
    }

    @Test
    @Order(2)
    void aGatewayPausedPastItsLeaseComesBackAndIsAnnouncedOnceWithoutReconnects() throws Exception {
        long paused = System.currentTimeMillis();
        gatewayB.pause();
        try {
            expectAtEveryWatcher("pusher_internal:member_removed", usersOnB, everyoneBut(usersOnB));
            System.out.printf("[faults] paused gateway reaped after %d ms%n", System.currentTimeMillis() - paused);
        } finally {
            gatewayB.resume();
        }
        long resumed = System.currentTimeMillis();
        expectAtEveryWatcher("pusher_internal:member_added", usersOnB, everyone());
        System.out.printf("[faults] resumed gateway announced again after %d ms%n", System.currentTimeMillis() - resumed);
        assertNoSocketClosed();
        // the resumed gateway's own sockets still work: a client event from one of them reaches the watchers
        onB.get(0).send(Map.of("event", "client-back", "channel", CHANNEL, "data", Map.of()));
        for (RawSocket w : watchers) {
            assertEquals("b-user-0", w.next("client-back").get("user_id").asText());
        }
    }

    @Test
    @Order(3)
    void aKilledGatewaysMembersAreGoneAndToldOnce() throws Exception {
        long killed = System.currentTimeMillis();
        gatewayB.kill();
        expectAtEveryWatcher("pusher_internal:member_removed", usersOnB, everyoneBut(usersOnB));
        System.out.printf("[faults] killed gateway's %d members removed after %d ms%n", USERS_ON_B, System.currentTimeMillis() - killed);
    }

    @Test
    @Order(4)
    void aGatewayThatDiesWhilePresenceServiceIsDownIsReapedWhenItComesBack() throws Exception {
        suite.service("presence-service").kill();
        suite.service("presence-service-2").kill();
        gatewayC.kill();
        // C's lease runs out while nobody can reap it: still nobody is told anything
        await().atMost(RawSocket.WAIT).until(() -> !store.leaseHeld(nodeC));
        for (List<JsonNode> told : framesBeforeMarker()) {
            assertEquals(List.of(), RawSocket.memberEvents(told), "no reaper, no news");
        }
        Thread restartSecond = new Thread(() -> {
            try {
                suite.startAgain("presence-service-2");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restartSecond.start();
        long outage = System.currentTimeMillis();
        suite.startAgain("presence-service");
        restartSecond.join(180_000);
        Set<String> left = new TreeSet<>(watcherIds);
        expectAtEveryWatcher("pusher_internal:member_removed", usersOnC, left);
        System.out.printf("[faults] gateway that died during the presence-service outage reaped %d ms after the restarts began%n",
                System.currentTimeMillis() - outage);
    }

    /**
     * Every watcher is told about exactly {@code users} (each once) and nothing else, and the HTTP API lists
     * {@code listed}: waits for the events and the API, then a marker shows nothing more was told.
     */
    private static void expectAtEveryWatcher(String event, Set<String> users, Set<String> listed) throws Exception {
        List<List<JsonNode>> told = new ArrayList<>();
        for (RawSocket w : watchers) {
            told.add(new ArrayList<>(w.framesUntilCount(event, users.size(), 2 * RawSocket.WAIT.toMillis())));
        }
        await().atMost(RawSocket.WAIT).until(() -> GatewayApi.channelUsers(gatewayA, CHANNEL).equals(listed));
        List<List<JsonNode>> rest = framesBeforeMarker();
        for (int i = 0; i < watchers.size(); i++) {
            told.get(i).addAll(rest.get(i));
            assertExactly(users, RawSocket.userIdsOf(told.get(i), event), event + " at watcher " + i);
            assertEquals(users.size(), RawSocket.memberEvents(told.get(i)).size(), "nothing else at watcher " + i + ": " + told.get(i));
        }
    }

    /** Sends a marker through the HTTP API and answers, per watcher, the frames it got before it. */
    private static List<List<JsonNode>> framesBeforeMarker() throws Exception {
        String marker = GatewayApi.mark(gatewayA, CHANNEL);
        List<List<JsonNode>> frames = new ArrayList<>();
        for (RawSocket w : watchers) {
            frames.add(w.framesBefore(marker));
        }
        return frames;
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

    private static void assertNoSocketClosed() {
        assertEquals(0, Stream.of(watchers, onB, onC).flatMap(List::stream).filter(RawSocket::closedByServer).count(),
                "no socket was closed");
    }
}
