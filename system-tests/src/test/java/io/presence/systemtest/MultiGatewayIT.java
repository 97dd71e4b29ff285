package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateway processes and presence-service on one Redis: presence is one picture, each change told once to every
 * subscriber on either gateway (faults: {@link GatewayFaultsIT}; Redis losing its data: {@link RedisRestartIT}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedSuite
class MultiGatewayIT {

    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void gateways() {
        gatewayA = SharedSuite.gateway();
        gatewayB = SharedSuite.gatewayB();
    }

    @Test
    @Order(1)
    void aUserWithTabsOnTwoGatewaysIsOneMember() throws Exception {
        String channel = "presence-tabs-" + UUID.randomUUID();
        RawSocket watcher = new RawSocket(gatewayA.port);
        assertEquals(1, watcher.join(channel, "watcher"));
        RawSocket tab1 = new RawSocket(gatewayA.port);
        RawSocket tab2 = new RawSocket(gatewayB.port);
        RawSocket tab3 = new RawSocket(gatewayB.port);
        assertEquals(2, tab1.join(channel, "ana"));
        assertEquals(2, tab2.join(channel, "ana"));
        assertEquals(2, tab3.join(channel, "ana"));
        assertEquals(List.of("pusher_internal:member_added ana"), RawSocket.memberEvents(watcher.framesBefore(GatewayApi.mark(gatewayB, channel))),
                "announced once");

        // client events cross gateways, carry the sender's user_id, never come back to the sender
        watcher.send(Map.of("event", "client-wave", "channel", channel, "data", Map.of("hi", 1)));
        JsonNode wave = tab2.skipTo("client-wave"); // published, so numbered before the marker that follows
        assertEquals("watcher", wave.get("user_id").asText());
        assertEquals(List.of(), eventsNamed(watcher.framesBefore(GatewayApi.mark(gatewayA, channel)), "client-wave"));

        tab1.close();
        tab2.close();
        awaitSubscribers(channel, 2); // both leaves counted: the watcher and ana's last tab are left
        assertEquals(List.of(), RawSocket.memberEvents(watcher.framesBefore(GatewayApi.mark(gatewayA, channel))), "ana still has a tab open");
        tab3.close();
        assertEquals("ana", RawSocket.data(watcher.next("pusher_internal:member_removed")).get("user_id").asText());
        watcher.close();
    }

    @Test
    @Order(2)
    void statusChangesCrossGatewaysAndThePresenceApiSeesThem() throws Exception {
        String channel = "presence-status-" + UUID.randomUUID();
        String ana = "ana-" + UUID.randomUUID();
        RawSocket watcher = new RawSocket(gatewayA.port);
        watcher.join(channel, "watcher-" + UUID.randomUUID());
        RawSocket tab = new RawSocket(gatewayB.port);
        tab.join(channel, ana);
        watcher.next("pusher_internal:member_added");

        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "busy", "text", "focus")));
        // the client event itself first, then the status it stored
        JsonNode updated = RawSocket.data(watcher.expect("client-status-update", "pusher:member_updated").get(1));
        assertEquals(ana, updated.get("user_id").asText());
        assertEquals("busy", updated.get("user_info").get("status").asText());
        JsonNode seen = presence(ana);
        assertEquals(true, seen.get("online").asBoolean());
        assertEquals("busy", seen.get("status").asText());
        assertEquals("focus", seen.get("text").asText());

        // an expiring status comes back to online by itself, announced by presence-service
        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "away", "expiresIn", 1)));
        assertEquals("away", RawSocket.data(watcher.expect("client-status-update", "pusher:member_updated").get(1))
                .get("user_info").get("status").asText());
        JsonNode back = watcher.next("pusher:member_updated");
        assertEquals("online", RawSocket.data(back).get("user_info").get("status").asText());

        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", "invisible")));
        assertEquals(ana, RawSocket.data(watcher.next("pusher_internal:member_removed")).get("user_id").asText());
        assertEquals(false, presence(ana).get("online").asBoolean());
        tab.close();
        await().atMost(RawSocket.WAIT).untilAsserted(() -> assertTrue(presence(ana).hasNonNull("lastSeen")));
        awaitSubscribers(channel, 1);
        assertEquals(List.of(), RawSocket.memberEvents(watcher.framesBefore(GatewayApi.mark(gatewayA, channel))), "an invisible user leaves unseen");
        watcher.close();
    }

    /** presence-service's answer for a user, asked as a signed backend. */
    private static JsonNode presence(String userId) throws Exception {
        String path = "/api/presence/users/" + userId;
        String query = RawSocket.APP.signedQuery("GET", path, Map.of(), null);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(SharedSuite.suite().service("presence-service").url(path + "?" + query))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return RawSocket.JSON.readTree(response.body());
    }

    @Test
    @Order(3)
    void everySubscriberOnEitherGatewayIsToldEachChangeExactlyOnce() throws Exception {
        String channel = "presence-converge-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<RawSocket> watchers = new ArrayList<>();
        List<PresenceReplay> replays = new ArrayList<>();
        Map<String, String> expected = new ConcurrentHashMap<>();
        for (int i = 0; i < 6; i++) {
            RawSocket w = new RawSocket((i % 2 == 0 ? gatewayA : gatewayB).port);
            String id = "watcher-" + run + "-" + i;
            PresenceReplay replay = new PresenceReplay();
            replay.apply(w.joinFrame(channel, id));
            watchers.add(w);
            replays.add(replay);
            expected.put(id, "online");
        }
        int actors = 30;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int a = 0; a < actors; a++) {
            int actor = a;
            done.add(pool.submit(() -> {
                act(channel, "actor-" + run + "-" + actor, new Random(actor), expected);
                return null;
            }));
        }
        for (var f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int i = 0; i < watchers.size(); i++) {
            RawSocket watcher = watchers.get(i);
            PresenceReplay replay = replays.get(i);
            while (!replay.statuses().equals(expected)) {
                replay.apply(watcher.next()); // each change must come within the ceiling, or the watcher misses it
            }
        }
        // a marker after the last change: whatever came before it is all each watcher was told
        String marker = GatewayApi.mark(gatewayA, channel);
        for (int i = 0; i < watchers.size(); i++) {
            PresenceReplay replay = replays.get(i);
            watchers.get(i).framesBefore(marker).forEach(replay::apply);
            assertEquals(List.of(), replay.duplicates, "watcher " + i + " was told nothing twice");
            assertTrue(replay.added > 0 && replay.removed > 0 && replay.updated > 0,
                    "the run joined, left and changed statuses: " + replay.added + "/" + replay.removed + "/" + replay.updated);
            assertEquals(new TreeMap<>(expected), new TreeMap<>(replay.statuses()), "watcher " + i + " ends with the true membership");
            assertTrue(!watchers.get(i).closedByServer(), "watcher " + i + " stayed connected");
        }
        watchers.forEach(RawSocket::close); // only now: a watcher leaving is news to the others
    }

    /**
     * One user's part in the convergence test: a first tab, then a random mix of second tabs on the other gateway,
     * status changes, invisibility and closing tabs, each change confirmed by the user's own tab before the next.
     * Records the user's final visible status in {@code expected} (absent when gone or invisible).
     */
    /**
     * Issue 26: a session's end closes the sockets it authorized on every gateway. Ana has two sessions: the first's
     * socket is on gateway A, the second's on gateway B. A plain logout of the first closes only its socket; "log out
     * everywhere", asked through gateway A, closes the second's socket on gateway B. Bob, on gateway A, sees ana leave
     * exactly once, and the member_removed webhook goes out once, as for any leave. The bound (1 s) is
     * measured and printed (request sent to close seen by the client, HTTP round trip included); the assertion is a
     * ceiling only a failure reaches on a loaded machine.
     */
    @Test
    @Order(4)
    void loggingOutEverywhereClosesTheSessionsSocketsOnEveryGateway() throws Exception {
        String channel = "presence-ended-" + UUID.randomUUID();
        Accounts.Account ana = Accounts.register(gatewayA.url(""), "ana");
        Accounts.Account anaOnB = new Accounts.Account(ana.id(), ana.handle(), login(gatewayA, ana.handle()), gatewayA.url(""));
        Accounts.Account bob = Accounts.register(gatewayA.url(""), "bob");
        RawSocket watcher = new RawSocket(gatewayA.port);
        watcher.subscribe(channel, bob.authorize(watcher.socketId(), channel));
        watcher.skipTo("pusher_internal:subscription_succeeded");
        RawSocket first = new RawSocket(gatewayA.port);
        first.subscribe(channel, ana.authorize(first.socketId(), channel));
        first.skipTo("pusher_internal:subscription_succeeded");
        RawSocket second = new RawSocket(gatewayB.port);
        second.subscribe(channel, anaOnB.authorize(second.socketId(), channel));
        second.skipTo("pusher_internal:subscription_succeeded");
        String ownChannel = "private-user-" + ana.id();
        second.subscribe(ownChannel, anaOnB.authorize(second.socketId(), ownChannel));
        second.skipTo("pusher_internal:subscription_succeeded");
        assertEquals(List.of("pusher_internal:member_added " + ana.id()),
                RawSocket.memberEvents(watcher.framesBefore(GatewayApi.mark(gatewayA, channel))), "ana joined, once");

        ana.as().delete(gatewayB.url("/api/sessions/current")).then().statusCode(204);
        assertEquals(4009, first.awaitClose(), "the first session's socket, on gateway A");
        assertEquals(List.of(), RawSocket.memberEvents(watcher.framesBefore(GatewayApi.mark(gatewayB, channel))),
                "ana is still there through her other session");
        assertFalse(second.closedByServer(), "the other session's socket stays");

        var closedAt = second.closeCode().thenApply(code -> System.nanoTime());
        long asked = System.nanoTime();
        anaOnB.as().delete(gatewayA.url("/api/sessions")).then().statusCode(204);
        assertEquals(4009, second.awaitClose(), "the second session's socket, on gateway B");
        long millis = (closedAt.get(30, TimeUnit.SECONDS) - asked) / 1_000_000;
        System.out.println("[issue 26] logout everywhere through gateway A closed the session's socket on gateway B after " + millis + " ms");
        assertTrue(millis < 10_000, "closed after " + millis + " ms");
        // the leave runs as the gateway finishes the close, possibly after the client saw it: wait for it (it must
        // come), then a marker proves nothing follows
        List<JsonNode> untilLeft = new ArrayList<>(watcher.framesUntilCount("pusher_internal:member_removed", 1, RawSocket.WAIT.toMillis()));
        untilLeft.addAll(watcher.framesBefore(GatewayApi.mark(gatewayB, channel)));
        assertEquals(List.of("pusher_internal:member_removed " + ana.id()), RawSocket.memberEvents(untilLeft), "ana left, once");

        // the webhooks: ana's leave once; bob's leave after it is the barrier
        watcher.close();
        String anaLeft = "member_removed " + channel + " " + ana.id();
        String bobLeft = "member_removed " + channel + " " + bob.id();
        await().atMost(RawSocket.WAIT.multipliedBy(2)).until(() -> SharedSuite.receiver().accepted().contains(bobLeft));
        assertEquals(1, SharedSuite.receiver().accepted().stream().filter(anaLeft::equals).count());
        first.close();
        second.close();
    }

    private static String login(ServiceProcess gateway, String handle) {
        return io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}").post(gateway.url("/api/sessions"))
                .then().statusCode(201).extract().path("token");
    }

    private static void act(String channel, String user, Random random, Map<String, String> expected) throws Exception {
        List<RawSocket> tabs = new ArrayList<>();
        RawSocket first = new RawSocket((random.nextBoolean() ? gatewayA : gatewayB).port);
        first.join(channel, user);
        tabs.add(first);
        String status = "online";
        for (int step = 0; step < 3 + random.nextInt(4) && !tabs.isEmpty(); step++) {
            Thread.sleep(random.nextInt(40));
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (tabs.size() < 3) {
                        RawSocket tab = new RawSocket((random.nextBoolean() ? gatewayA : gatewayB).port);
                        tab.join(channel, user);
                        tabs.add(tab);
                    }
                }
                case 1, 2 -> {
                    String next = List.of("busy", "away", "online", "invisible").get(random.nextInt(4));
                    if (!next.equals(status)) {
                        RawSocket tab = tabs.get(0);
                        tab.send(Map.of("event", "client-status-update", "channel", channel, "data", Map.of("status", next)));
                        awaitOwnStatus(tab, user, next);
                        status = next;
                    }
                }
                default -> {
                    RawSocket tab = tabs.remove(tabs.size() - 1);
                    tab.close();
                }
            }
        }
        if (!tabs.isEmpty() && !status.equals("invisible")) {
            expected.put(user, status);
        }
    }

    /** Waits until the user's tab is told its own new status (so the user's next change comes after this one). */
    private static void awaitOwnStatus(RawSocket tab, String user, String status) throws InterruptedException {
        while (true) {
            JsonNode frame = tab.next();
            if (RawSocket.event(frame).equals("pusher:member_updated")) {
                JsonNode data = RawSocket.data(frame);
                if (data.get("user_id").asText().equals(user) && data.get("user_info").get("status").asText().equals(status)) {
                    return;
                }
            }
        }
    }

    /** Waits until the channel's subscribers on every gateway are this many (the leaves have been counted). */
    private static void awaitSubscribers(String channel, int count) {
        await().atMost(RawSocket.WAIT).until(() -> GatewayApi.subscriptionCount(gatewayA, channel) == count);
    }

    private static List<JsonNode> eventsNamed(List<JsonNode> frames, String event) {
        return frames.stream().filter(f -> f.path("event").asText().equals(event)).toList();
    }
}
