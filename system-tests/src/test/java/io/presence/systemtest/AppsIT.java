package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import io.presence.common.pusher.PusherApp;
import io.presence.testsupport.PusherSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Apps as tenants on the packaged services and both gateways of the shared suite (A = gateway-service, B =
 * gateway-b): an app created through the operator API is usable on both, a disabled one is closed (4003) and refused
 * everywhere, a rotated secret keeps the old one for its grace and not after, a deleted one is closed (4001) and its
 * API gone (404); maxConnections and maxPresenceMembersPerChannel hold across the two gateways, and a killed
 * gateway's share of the connections is given back by its reaper; the same user id in two apps shares nothing.
 * The short grace comes from a second user-service (APPS_SECRET_GRACE_PERIOD=3s) beside the suite's, asked on its
 * internal API, so the shared suite keeps the default. How fast a change spreads is printed, never asserted below a
 * generous ceiling.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedSuite
class AppsIT {

    /** How long a new or changed app may take to reach both gateways: the change is pushed, the version check runs every 5 s. */
    private static final Duration USABLE = Duration.ofSeconds(15);
    private static final Duration SHORT_GRACE = Duration.ofSeconds(3);
    private static final String GRACE_USER_SERVICE = "user-service-grace";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static ServiceSuite suite;
    private static SuiteStore store;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static final List<PusherSocket> opened = new ArrayList<>();
    /** The app that scenarios 1 to 4 create, disable, enable, rotate and delete, with its current secret. */
    private static PusherApp lifecycle;
    private static List<PusherSocket> lifecycleSubscribers = List.of();

    @BeforeAll
    static void start() throws Exception {
        suite = SharedSuite.suite();
        store = new SuiteStore(suite);
        gatewayA = SharedSuite.gateway();
        gatewayB = SharedSuite.gatewayB();
        // started now, ready by the rotation test: only rotations asked of it get the short grace
        suite.startReplica("user-service", GRACE_USER_SERVICE, Map.of("APPS_SECRET_GRACE_PERIOD", SHORT_GRACE.toSeconds() + "s"));
    }

    @AfterAll
    static void stop() throws Exception {
        opened.forEach(PusherSocket::close);
        if (suite != null) {
            suite.discard(GRACE_USER_SERVICE);
            suite.heal(); // the gateway the maxConnections test killed
        }
    }

    @Test
    @Order(1)
    void anAppCreatedByTheOperatorIsUsableOnBothGateways() throws Exception {
        long asked = System.currentTimeMillis();
        lifecycle = create(Map.of());
        long usable = awaitUsable(lifecycle);
        System.out.printf("[apps] a new app was usable on both gateways %d ms after the create call began%n", usable - asked);

        String channel = "private-apps-" + RUN;
        lifecycleSubscribers = subscribers(lifecycle, channel);
        assertEquals(200, trigger(gatewayA, lifecycle, channel, "e-1", Map.of("n", 1)));
        assertEquals(200, trigger(gatewayB, lifecycle, channel, "e-2", Map.of("n", 2)));
        assertEquals(200, trigger(gatewayA, lifecycle, channel, "e-3", Map.of("n", 3)));
        String marker = mark(gatewayB, lifecycle, channel);
        for (PusherSocket s : lifecycleSubscribers) {
            List<JsonNode> got = s.expect("e-1", "e-2", "e-3", marker); // each once, in order, nothing between
            for (int i = 0; i < 3; i++) {
                assertEquals(i + 1, PusherSocket.data(got.get(i)).get("n").asInt(), got.toString());
            }
        }
    }

    @Test
    @Order(2)
    void aDisabledAppIsClosedAndRefusedEverywhereUntilEnabledAgain() throws Exception {
        long asked = System.currentTimeMillis();
        assertEquals(200, operator("PATCH", "/" + lifecycle.id(), Map.of("enabled", false)).statusCode());
        assertShutOut(lifecycle, lifecycleSubscribers, 4003, 403, asked, "disabled");

        asked = System.currentTimeMillis();
        assertEquals(200, operator("PATCH", "/" + lifecycle.id(), Map.of("enabled", true)).statusCode());
        long usable = awaitUsable(lifecycle);
        System.out.printf("[apps] an enabled app was usable on both gateways again %d ms after the patch began%n", usable - asked);
        String channel = "private-apps-again-" + RUN;
        lifecycleSubscribers = subscribers(lifecycle, channel);
        assertEquals(200, trigger(gatewayB, lifecycle, channel, "again", Map.of()));
        String marker = mark(gatewayA, lifecycle, channel);
        for (PusherSocket s : lifecycleSubscribers) {
            s.expect("again", marker);
        }
    }

    @Test
    @Order(3)
    void aRotatedSecretKeepsTheOldOneForItsGraceAndNotAfter() throws Exception {
        String channel = "private-rotate-" + RUN;
        PusherApp first = lifecycle;
        long asked = System.currentTimeMillis();
        HttpResponse<String> response = operator("POST", "/" + first.id() + "/secret", null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode rotated = PusherSocket.JSON.readTree(response.body());
        PusherApp second = new PusherApp(first.id(), first.key(), rotated.get("secret").asText());
        assertNotEquals(first.secret(), second.secret());
        assertTrue(rotated.get("previousSecretUntil").asLong() > asked + Duration.ofMinutes(59).toMillis(),
                "the default grace is an hour: " + rotated);
        long usable = awaitAccepted(second, channel);
        System.out.printf("[apps] a rotated secret was accepted on both gateways %d ms after the rotation began%n", usable - asked);
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
            assertEquals(200, trigger(gateway, first, channel, "old", Map.of()), "the old secret within its grace");
            assertEquals(200, trigger(gateway, second, channel, "new", Map.of()));
            // subscriptions too: signed with the old secret and with the new one
            try (PusherSocket old = connect(gateway, first); PusherSocket fresh = connect(gateway, second)) {
                old.subscribePrivate(channel);
                fresh.subscribePrivate(channel);
            }
        }

        // again on the user-service with the short grace: the first secret goes at once, the second after 3 s
        suite.service(GRACE_USER_SERVICE).awaitReady(Duration.ofMinutes(5));
        long before = System.currentTimeMillis();
        JsonNode again = internal("POST", "/internal/apps/" + first.id() + "/secret");
        long after = System.currentTimeMillis();
        PusherApp third = new PusherApp(first.id(), first.key(), again.get("secret").asText());
        long graceEnds = again.get("previousSecretUntil").asLong();
        assertTrue(graceEnds >= before + SHORT_GRACE.toMillis() && graceEnds <= after + SHORT_GRACE.toMillis(),
                "the grace of the second user-service: " + again);
        awaitAccepted(third, channel);
        await().atMost(RawSocket.WAIT).until(() -> System.currentTimeMillis() > graceEnds);
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
            assertEquals(401, trigger(gateway, second, channel, "after-grace", Map.of()), "the previous secret after its grace");
            assertEquals(401, trigger(gateway, first, channel, "two-back", Map.of()), "the secret before the previous one");
            assertEquals(200, trigger(gateway, third, channel, "current", Map.of()));
        }
        lifecycle = third;
    }

    @Test
    @Order(4)
    void aDeletedAppIsClosedAndGoneEverywhere() throws Exception {
        List<PusherSocket> sockets = List.of(connect(gatewayA, lifecycle), connect(gatewayB, lifecycle));
        long asked = System.currentTimeMillis();
        assertEquals(204, operator("DELETE", "/" + lifecycle.id(), null).statusCode());
        assertShutOut(lifecycle, sockets, 4001, 404, asked, "deleted");
        assertEquals(404, operator("GET", "/" + lifecycle.id(), null).statusCode());
    }

    @Test
    @Order(5)
    void appsKeepWorkingWhilePostgresIsDownAndChangesGoThroughOnceItIsBack() throws Exception {
        PusherApp app = create(Map.of());
        awaitUsable(app);
        String channel = "private-apps-pg-" + RUN;
        List<PusherSocket> sockets;
        TcpProxy postgres = suite.postgresProxy("user-service");
        postgres.cut();
        try {
            // the gateways serve the app from their copy of the store: connections, signatures, triggers
            sockets = subscribers(app, channel);
            assertEquals(200, trigger(gatewayA, app, channel, "while-down", Map.of()));
            String marker = mark(gatewayB, app, channel);
            for (PusherSocket s : sockets) {
                s.expect("while-down", marker);
            }
            // a change cannot be stored: refused whole, with a problem, and nothing changes anywhere
            HttpResponse<String> refused = operator("PATCH", "/" + app.id(), Map.of("enabled", false));
            assertTrue(refused.statusCode() == 503 || refused.statusCode() == 504, refused.statusCode() + " " + refused.body());
            assertEquals(200, trigger(gatewayB, app, channel, "still-up", Map.of()));
            String second = mark(gatewayA, app, channel);
            for (PusherSocket s : sockets) {
                s.expect("still-up", second);
            }
        } finally {
            postgres.restore();
        }
        // once PostgreSQL is back, the same change goes through and reaches both gateways
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> operator("PATCH", "/" + app.id(), Map.of("enabled", false)).statusCode() == 200);
        assertShutOut(app, sockets, 4003, 403, System.currentTimeMillis(), "disabled after the outage");
    }

    @Test
    @Order(6)
    void maxPresenceMembersPerChannelHoldsAcrossBothGateways() throws Exception {
        PusherApp app = create(Map.of("maxPresenceMembersPerChannel", 2));
        awaitUsable(app);
        String channel = "presence-full-" + RUN;
        PusherSocket a = connect(gatewayA, app);
        assertEquals(1, a.joinPresence(channel, "a", "A").get("count").asInt());
        PusherSocket b = connect(gatewayB, app);
        assertEquals(2, b.joinPresence(channel, "b", "B").get("count").asInt());
        PusherSocket secondTabOfA = connect(gatewayB, app);
        assertEquals(2, secondTabOfA.joinPresence(channel, "a", "A").get("count").asInt(), "a second tab is no new member");
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
            PusherSocket c = connect(gateway, app);
            JsonNode refused = presenceAnswer(c, app, channel, "c");
            assertEquals("pusher:subscription_error", PusherSocket.event(refused), refused.toString());
            assertEquals(4100, PusherSocket.data(refused).get("status").asInt(), refused.toString());
        }
        String marker = mark(gatewayA, app, channel);
        assertEquals(List.of("pusher_internal:member_added b"), RawSocket.memberEvents(RawSocket.framesBefore(a, marker)));
        assertEquals(List.of(), RawSocket.framesBefore(b, marker), "neither the second tab nor c was announced");
        assertEquals(List.of(), RawSocket.framesBefore(secondTabOfA, marker));
        assertEquals(Set.of("a", "b"), channelUsers(gatewayB, app, channel));
    }

    /**
     * The same user id in two apps shares nothing: "42" of the built-in app (A) sets a status with a text only app A
     * may see; app B's members of a channel of the same name are not told, a member joining later does not see it in
     * 42's info, and app B's backend does not read it. The built-in app's backend does: the check is not vacuous.
     */
    @Test
    @Order(7)
    void theSameUserInTwoAppsSharesNothing() throws Exception {
        PusherApp builtIn = PusherSocket.APP;
        PusherApp other = create(Map.of());
        awaitUsable(other);
        String channel = "presence-isolation-" + RUN;
        String secretText = "secret-of-app-A-" + RUN;

        PusherSocket watcherA = connect(gatewayA, builtIn);
        watcherA.joinPresence(channel, "watcher-" + RUN, "Watcher");
        PusherSocket in42A = connect(gatewayA, builtIn);
        in42A.signIn("42");
        in42A.joinPresence(channel, "42", "Forty-two in A");
        watcherA.next("pusher_internal:member_added");

        PusherSocket in42B = connect(gatewayB, other);
        in42B.signIn("42");
        in42B.joinPresence(channel, "42", "Forty-two in B");
        PusherSocket in43B = connect(gatewayB, other);
        in43B.joinPresence(channel, "43", "Forty-three in B");
        assertEquals("43", PusherSocket.data(in42B.next("pusher_internal:member_added")).get("user_id").asText());

        in42A.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-status-update", "channel", channel,
                "data", Map.of("status", "busy", "text", secretText))));
        // stored and announced in app A: the member_updated is sent once the status is saved
        JsonNode updated = watcherA.expect("client-status-update", "pusher:member_updated").get(1);
        assertEquals("busy", PusherSocket.data(updated).get("user_info").get("status").asText(), updated.toString());
        assertEquals(secretText, PusherSocket.data(updated).get("user_info").get("text").asText(), updated.toString());

        // app B's channel of the same name: nothing came before a marker sent after the change
        String marker = mark(gatewayA, other, channel);
        assertEquals(List.of(), RawSocket.framesBefore(in42B, marker), "app B's 42 is told nothing of app A's 42");
        assertEquals(List.of(), RawSocket.framesBefore(in43B, marker), "app B's members are told nothing of app A's 42");
        // a member of app B joining now sees 42 as app B knows them
        PusherSocket in44B = connect(gatewayA, other);
        JsonNode hash = PusherSocket.data(in44B.subscribePresence(channel, "44", Map.of("id", "44"))).get("presence").get("hash");
        assertEquals(Set.of("42", "43", "44"), fieldNames(hash));
        assertNotEquals("busy", hash.get("42").path("status").asText(), hash.toString());
        assertFalse(hash.toString().contains(secretText), hash.toString());

        // app B's backend reads nothing of app A's 42; app A's backend reads the status it set
        JsonNode seenByB = signedGet(other, "/api/presence/users/42");
        assertNotEquals("busy", seenByB.path("status").asText(), seenByB.toString());
        assertFalse(seenByB.toString().contains(secretText), seenByB.toString());
        JsonNode membersSeenByB = signedGet(other, "/api/presence/channels/" + channel + "/members");
        assertFalse(membersSeenByB.toString().contains(secretText), membersSeenByB.toString());
        assertEquals(3, membersSeenByB.get("count").asInt(), membersSeenByB.toString());
        JsonNode seenByA = signedGet(builtIn, "/api/presence/users/42");
        assertEquals("busy", seenByA.get("status").asText(), seenByA.toString());
        assertEquals(secretText, seenByA.get("text").asText(), seenByA.toString());
    }

    @Test
    @Order(8)
    void maxConnectionsHoldsAcrossBothGatewaysAndAKilledGatewaysShareIsGivenBack() throws Exception {
        PusherApp app = create(Map.of("maxConnections", 3));
        awaitUsable(app);
        // the probes' places are given back (each one took and returned a place): the count starts at none
        await().atMost(RawSocket.WAIT).until(() -> held(app.id()).isEmpty());
        connect(gatewayA, app);
        connect(gatewayA, app);
        connect(gatewayB, app);
        Map<String, Long> counted = held(app.id());
        assertEquals(List.of(1L, 2L), counted.values().stream().sorted().toList(), "per gateway: " + counted);
        String nodeA = counted.entrySet().stream().filter(e -> e.getValue() == 2).findFirst().orElseThrow().getKey();
        assertRefused(gatewayA, app, 4004);
        assertRefused(gatewayB, app, 4004);

        long killed = System.currentTimeMillis();
        gatewayB.kill();
        await().atMost(RawSocket.WAIT.multipliedBy(2)).until(() -> held(app.id()).equals(Map.of(nodeA, 2L)));
        System.out.printf("[apps] a killed gateway's connections were given back %d ms after the kill%n", System.currentTimeMillis() - killed);
        connect(gatewayA, app); // the place the dead gateway held
        assertRefused(gatewayA, app, 4004);
        assertEquals(Map.of(nodeA, 3L), held(app.id()));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Creates an app through the operator API (with a generated id); answers it with its secret. */
    private static PusherApp create(Map<String, Object> fields) throws Exception {
        Map<String, Object> app = new HashMap<>(fields);
        app.put("id", "apps-it-" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> response = operator("POST", "", app);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode created = PusherSocket.JSON.readTree(response.body());
        return new PusherApp(created.get("id").asText(), created.get("key").asText(), created.get("secret").asText());
    }

    /** A call of the operator API on gateway A, as an operator with the console password as Bearer token. */
    private static HttpResponse<String> operator(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayA.url("/console/api/apps" + path)))
                .header("Authorization", "Bearer " + SharedSuite.CONSOLE_PASSWORD).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(PusherSocket.JSON.writeValueAsString(body)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of the app API on the short-grace user-service itself (service token); asserts 200. */
    private static JsonNode internal(String method, String path) throws Exception {
        ServiceProcess userService = suite.service(GRACE_USER_SERVICE);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(userService.url(path)))
                .header("X-Internal-Token", suite.environment(GRACE_USER_SERVICE).get("INTERNAL_TOKEN"))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return PusherSocket.JSON.readTree(response.body());
    }

    /**
     * Waits (ceiling {@link #USABLE}) until both gateways accept a connection of the app, closing each probe; answers
     * when (epoch ms).
     */
    private static long awaitUsable(PusherApp app) {
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
            await().atMost(USABLE).pollInterval(Duration.ofMillis(100)).until(() -> {
                PusherSocket probe = PusherSocket.raw(gateway.port, path(app));
                boolean established = PusherSocket.event(probe.next()).equals("pusher:connection_established");
                probe.close();
                return established;
            });
        }
        return System.currentTimeMillis();
    }

    /** Waits (ceiling {@link #USABLE}) until both gateways accept an API call signed with this secret; answers when. */
    private static long awaitAccepted(PusherApp app, String channel) {
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
            await().atMost(USABLE).pollInterval(Duration.ofMillis(100)).until(() -> trigger(gateway, app, channel, "probe", Map.of()) == 200);
        }
        return System.currentTimeMillis();
    }

    private static String path(PusherApp app) {
        return "/app/" + app.key() + "?protocol=7&client=test&version=1";
    }

    /** A connection of the app (signing with its secret), closed after the class. */
    private static PusherSocket connect(ServiceProcess gateway, PusherApp app) throws Exception {
        PusherSocket socket = PusherSocket.connect(gateway.port, app).ignore(PusherSocket.SUBSCRIPTION_COUNT);
        opened.add(socket);
        return socket;
    }

    /** Two subscribers of a private channel on each gateway. */
    private static List<PusherSocket> subscribers(PusherApp app, String channel) throws Exception {
        List<PusherSocket> sockets = new ArrayList<>();
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB, gatewayA, gatewayB)) {
            PusherSocket s = connect(gateway, app);
            s.subscribePrivate(channel);
            sockets.add(s);
        }
        return sockets;
    }

    /**
     * The app's sockets (on both gateways) are closed with the code, a new connection on either gateway is
     * refused with it, and its HTTP API answers the status there; prints how long the closes took.
     */
    private static void assertShutOut(PusherApp app, List<PusherSocket> sockets, int code, int apiStatus, long asked, String what)
            throws Exception {
        for (PusherSocket s : sockets) {
            assertEquals(code, s.awaitClose());
        }
        System.out.printf("[apps] a %s app's sockets on both gateways were closed %d ms after the call began%n", what,
                System.currentTimeMillis() - asked);
        for (ServiceProcess gateway : List.of(gatewayA, gatewayB)) {
            assertRefused(gateway, app, code);
            assertEquals(apiStatus, trigger(gateway, app, "apps-" + RUN, "shut-out", Map.of()));
        }
    }

    /** A new connection of the app on the gateway gets a pusher:error with the code first, then is closed with it. */
    private static void assertRefused(ServiceProcess gateway, PusherApp app, int code) throws Exception {
        try (PusherSocket refused = PusherSocket.raw(gateway.port, path(app))) {
            JsonNode error = refused.next("pusher:error");
            assertEquals(code, PusherSocket.data(error).get("code").asInt(), error.toString());
            assertEquals(code, refused.awaitClose());
        }
    }

    /** Subscribes to a presence channel as the user, signed by the app; answers the reply, success or error. */
    private static JsonNode presenceAnswer(PusherSocket socket, PusherApp app, String channel, String userId) throws Exception {
        String channelData = PusherSocket.JSON.writeValueAsString(Map.of("user_id", userId, "user_info", Map.of("id", userId)));
        socket.send("pusher:subscribe", Map.of("channel", channel, "channel_data", channelData,
                "auth", app.auth(PusherApp.presenceChannelText(socket.socketId(), channel, channelData))));
        return socket.next();
    }

    /** A backend's trigger with pusher-http-java, signed with the app's secret; answers the HTTP status. */
    private static int trigger(ServiceProcess gateway, PusherApp app, String channel, String event, Object data) throws Exception {
        try (Pusher sdk = sdk(gateway, app)) {
            Result result = sdk.trigger(channel, event, data);
            if (result.getHttpStatus() == null) {
                throw new AssertionError("no answer: " + result.getMessage());
            }
            return result.getHttpStatus();
        }
    }

    private static Pusher sdk(ServiceProcess gateway, PusherApp app) {
        Pusher sdk = new Pusher(app.id(), app.key(), app.secret());
        sdk.setHost("127.0.0.1:" + gateway.port);
        sdk.setEncrypted(false);
        return sdk;
    }

    /** Triggers a marker event, a barrier for everything published on the channel before it; answers its name. */
    private static String mark(ServiceProcess gateway, PusherApp app, String channel) throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        assertEquals(200, trigger(gateway, app, channel, marker, Map.of()));
        return marker;
    }

    /** The users of a presence channel, as the app's HTTP API lists them. */
    private static Set<String> channelUsers(ServiceProcess gateway, PusherApp app, String channel) throws Exception {
        try (Pusher sdk = sdk(gateway, app)) {
            Result result = sdk.get("/channels/" + channel + "/users");
            assertEquals(Integer.valueOf(200), result.getHttpStatus(), result.getMessage());
            Set<String> users = new TreeSet<>();
            PusherSocket.JSON.readTree(result.getMessage()).get("users").forEach(u -> users.add(u.get("id").asText()));
            return users;
        }
    }

    /**
     * A backend's signed GET of the presence REST API through gateway A; asserts 200. An app created moments ago may
     * not be known to presence-service yet (it reads the app store every half second; the gateways at once, on the
     * change notice): "auth_key names no app" is asked again until it is, within the usual ceiling.
     */
    private static JsonNode signedGet(PusherApp app, String path) throws Exception {
        HttpResponse<String> response = await().atMost(RawSocket.WAIT).pollInterval(Duration.ofMillis(100)).until(
                () -> HTTP.send(HttpRequest.newBuilder(URI.create(gatewayA.url(path + "?" + app.signedQuery("GET", path, Map.of(), null))))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()),
                r -> !(r.statusCode() == 401 && r.body().contains("names no app")));
        assertEquals(200, response.statusCode(), response.body());
        return PusherSocket.JSON.readTree(response.body());
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The gateways that hold connections of the app, with how many each (as counted for its maxConnections). */
    private static Map<String, Long> held(String appId) {
        Map<String, Long> counts = new java.util.TreeMap<>(store.appConnections(appId));
        counts.values().removeIf(count -> count == 0);
        return counts;
    }
}
