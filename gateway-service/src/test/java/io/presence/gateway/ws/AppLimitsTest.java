package io.presence.gateway.ws;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppSnapshot;
import io.presence.common.pusher.PusherApp;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.TestApps;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Each per-app limit at its edge on one gateway, and what a change of the app store does to an app's sockets and API
 * calls: apps are installed as user-service publishes them (a snapshot in Redis), and the registry reads it.
 */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class AppLimitsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    AppRegistry registry;

    @Inject
    Redis redis;

    @Inject
    PresenceStoreConfig store;

    @Inject
    TestApps apps;

    private void install(App... installed) {
        apps.install(installed);
    }

    private static App app(String name, AppLimits limits) {
        return TestApps.app(name, limits);
    }

    private static AppLimits limits() {
        return AppLimits.DEFAULTS;
    }

    private static PusherApp signer(App app) {
        return app.signer();
    }

    private Pusher sdk(App app, String secret) {
        Pusher p = new Pusher(app.id(), app.key(), secret);
        p.setHost("127.0.0.1:" + port);
        p.setEncrypted(false);
        return p;
    }

    /** A raw signed POST of the HTTP API (for bodies the SDK would refuse to build). */
    private io.restassured.response.ValidatableResponse post(App app, String path, String body) {
        return given().contentType("application/json").body(body)
                .post(sdk(app, app.secret()).signedUri("POST", "/apps/" + app.id() + path, body).toString()).then();
    }

    private io.restassured.response.ValidatableResponse get(App app, String path) {
        return given().get(sdk(app, app.secret()).signedUri("GET", "/apps/" + app.id() + path, null).toString()).then();
    }

    private static String event(String channel, String name, String data) throws Exception {
        return PusherSocket.JSON.writeValueAsString(Map.of("name", name, "channel", channel, "data", data));
    }

    /** Subscribes to a presence channel, signed by the app, and returns the answer, success or error. */
    private static JsonNode presenceAnswer(PusherSocket socket, App app, String channel, String userId, Map<String, ?> info) throws Exception {
        String channelData = PusherSocket.JSON.writeValueAsString(Map.of("user_id", userId, "user_info", info));
        socket.send("pusher:subscribe", Map.of("channel", channel, "channel_data", channelData,
                "auth", app.signer().auth(PusherApp.presenceChannelText(socket.socketId(), channel, channelData))));
        return socket.next();
    }

    private static String bytes(int n) {
        return "x".repeat(n);
    }

    @Test
    void exactlyMaxConnectionsAreAcceptedAndAFreedPlaceIsTakenAgain() throws Exception {
        App app = app("conns", new AppLimits(2, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        install(app);
        try (var first = PusherSocket.connect(port, signer(app)); var second = PusherSocket.connect(port, signer(app));
             var third = PusherSocket.raw(port, "/app/" + app.key() + "?protocol=7")) {
            JsonNode refusal = third.next("pusher:error");
            assertEquals(4004, PusherSocket.data(refusal).get("code").asInt(), refusal.toString());
            assertEquals(4004, third.awaitClose());
            first.close();
            assertEquals(1000, first.awaitClose());
            // the place comes back once the close was counted: a new connection gets in (or is refused until then)
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (var again = PusherSocket.raw(port, "/app/" + app.key() + "?protocol=7")) {
                    return PusherSocket.event(again.next()).equals("pusher:connection_established");
                }
            });
        }
    }

    @Test
    void theMemberOneTooManyIsRefusedWith4100ButASecondTabIsNot() throws Exception {
        App app = app("members", new AppLimits(null, null, null, null, null, 2, null, null, null, null, null, null, null, null, null));
        install(app);
        String channel = "presence-full-" + UUID.randomUUID();
        try (var ana = PusherSocket.connect(port, signer(app)); var bob = PusherSocket.connect(port, signer(app));
             var anaAgain = PusherSocket.connect(port, signer(app)); var eve = PusherSocket.connect(port, signer(app))) {
            ana.joinPresence(channel, "ana", "Ana");
            bob.joinPresence(channel, "bob", "Bob");
            assertEquals(2, anaAgain.joinPresence(channel, "ana", "Ana").get("count").asInt());
            JsonNode error = presenceAnswer(eve, app, channel, "eve", Map.of("name", "Eve"));
            assertEquals("pusher:subscription_error", PusherSocket.event(error), error.toString());
            assertEquals(4100, PusherSocket.data(error).get("status").asInt(), error.toString());
        }
    }

    @Test
    void memberInfoAtItsLimitIsAcceptedAndOneByteMoreIsNot() throws Exception {
        App app = app("info", new AppLimits(null, null, null, null, null, null, 0.5, null, null, null, null, null, null, null, null));
        install(app);
        String channel = "presence-info-" + UUID.randomUUID();
        // {"n":"xxx"} is 8 bytes around the text: 512 bytes in all at the limit
        try (var fits = PusherSocket.connect(port, signer(app)); var over = PusherSocket.connect(port, signer(app))) {
            JsonNode ok = presenceAnswer(fits, app, channel, "ana", Map.of("n", bytes(512 - 8)));
            assertEquals("pusher_internal:subscription_succeeded", PusherSocket.event(ok), ok.toString());
            JsonNode refused = presenceAnswer(over, app, channel, "bob", Map.of("n", bytes(512 - 7)));
            assertEquals("pusher:subscription_error", PusherSocket.event(refused), refused.toString());
            assertEquals(413, PusherSocket.data(refused).get("status").asInt());
        }
    }

    @Test
    void clientEventsOverTheirSizeOrRateAreRefusedWith4301AndNotDelivered() throws Exception {
        App app = app("client", new AppLimits(null, null, null, 3, null, null, null, null, null, 12, 1.0, null, null, null, null));
        install(app);
        String channel = "private-client-" + UUID.randomUUID();
        try (var sender = PusherSocket.connect(port, signer(app)).ignore(PusherSocket.SUBSCRIPTION_COUNT);
             var receiver = PusherSocket.connect(port, signer(app)).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            sender.subscribePrivate(channel);
            receiver.subscribePrivate(channel);
            sender.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-fits", "channel", channel, "data", bytes(1024))));
            sender.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-big", "channel", channel, "data", bytes(1025))));
            sender.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-third", "channel", channel, "data", "3")));
            sender.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-fourth", "channel", channel, "data", "4")));
            sender.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-name-longer", "channel", channel, "data", "5")));
            List<JsonNode> errors = sender.expect("pusher:error", "pusher:error", "pusher:error");
            for (JsonNode error : errors) {
                assertEquals(4301, PusherSocket.data(error).get("code").asInt(), error.toString());
            }
            // a marker from the backend, after them in the channel's order: the receiver got the two allowed ones only
            sdk(app, app.secret()).trigger(channel, "marker", Map.of());
            List<JsonNode> got = receiver.expect("client-fits", "client-third", "marker");
            assertEquals(bytes(1024), got.get(0).get("data").asText());
        }
    }

    @Test
    void anAppWithoutClientMessagesGetsNone() throws Exception {
        App app = app("noclient", new AppLimits(null, false, null, null, null, null, null, null, null, null, null, null, null, null, null));
        install(app);
        String channel = "private-noclient-" + UUID.randomUUID();
        try (var sender = PusherSocket.connect(port, signer(app)).ignore(PusherSocket.SUBSCRIPTION_COUNT);
             var receiver = PusherSocket.connect(port, signer(app)).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            sender.subscribePrivate(channel);
            receiver.subscribePrivate(channel);
            sender.send(PusherSocket.JSON.writeValueAsString(Map.of("event", "client-hi", "channel", channel, "data", "{}")));
            sender.next("pusher:error");
            sdk(app, app.secret()).trigger(channel, "marker", Map.of());
            receiver.expect("marker");
        }
    }

    @Test
    void httpApiLimitsAtTheirEdge() throws Exception {
        App app = app("api", new AppLimits(null, null, null, null, null, null, null, 20, 2, 12, 1.0, 2, null, null, null));
        install(app);
        String c = "api-" + UUID.randomUUID().toString().substring(0, 16); // 20 characters
        post(app, "/events", event(c, "e", bytes(1024))).statusCode(200);
        post(app, "/events", event(c, "e", bytes(1025))).statusCode(413).contentType("application/problem+json");
        post(app, "/events", event(c, "n".repeat(12), "1")).statusCode(200);
        post(app, "/events", event(c, "n".repeat(13), "1")).statusCode(400).contentType("application/problem+json");
        post(app, "/events", event(c + "x", "e", "1")).statusCode(400);
        String two = PusherSocket.JSON.writeValueAsString(Map.of("name", "e", "channels", List.of("a1", "a2"), "data", "1"));
        String three = PusherSocket.JSON.writeValueAsString(Map.of("name", "e", "channels", List.of("a1", "a2", "a3"), "data", "1"));
        post(app, "/events", two).statusCode(200);
        post(app, "/events", three).statusCode(400);
        Map<String, String> one = Map.of("name", "e", "channel", "b1", "data", "1");
        post(app, "/batch_events", PusherSocket.JSON.writeValueAsString(Map.of("batch", List.of(one, one)))).statusCode(200);
        post(app, "/batch_events", PusherSocket.JSON.writeValueAsString(Map.of("batch", List.of(one, one, one)))).statusCode(400);
    }

    @Test
    void backendBudgetsAnswer429() throws Exception {
        App events = app("budget", new AppLimits(null, null, 3, null, null, null, null, null, null, null, null, null, null, null, null));
        App noReads = app("noreads", new AppLimits(null, null, null, null, 0, null, null, null, null, null, null, null, null, null, null));
        App oneRead = app("oneread", new AppLimits(null, null, null, null, 1, null, null, null, null, null, null, null, null, null, null));
        install(events, noReads, oneRead);
        String four = PusherSocket.JSON.writeValueAsString(Map.of("name", "e", "channels", List.of("c1", "c2", "c3", "c4"), "data", "1"));
        String three = PusherSocket.JSON.writeValueAsString(Map.of("name", "e", "channels", List.of("c1", "c2", "c3"), "data", "1"));
        // four events at once are over a budget of three whatever the second; refused, they take nothing from it
        post(events, "/events", four).statusCode(429).header("Retry-After", "1").contentType("application/problem+json");
        post(events, "/events", three).statusCode(200);
        get(noReads, "/channels").statusCode(429);
        get(oneRead, "/channels").statusCode(200);
    }

    @Test
    void disablingClosesWith4003RotationKeepsTheOldSecretForItsGraceAndDeletingClosesWith4001() throws Exception {
        App app = app("life", limits());
        install(app);
        String channel = "life-" + UUID.randomUUID();
        try (var socket = PusherSocket.connect(port, signer(app))) {
            App disabled = new App(app.id(), app.key(), app.secret(), null, null, false, null, null, null, null);
            install(disabled);
            assertEquals(4003, socket.awaitClose());
        }
        try (var refused = PusherSocket.raw(port, "/app/" + app.key() + "?protocol=7")) {
            assertEquals(4003, PusherSocket.data(refused.next("pusher:error")).get("code").asInt());
        }
        post(app, "/events", event(channel, "e", "1")).statusCode(403);

        String newSecret = app.secret() + "-2";
        App rotated = new App(app.id(), app.key(), newSecret, app.secret(), System.currentTimeMillis() + 3_600_000, true, null, null, null, null);
        install(rotated);
        assertEquals(200, sdk(app, app.secret()).trigger(channel, "old", Map.of()).getHttpStatus());
        assertEquals(200, sdk(app, newSecret).trigger(channel, "new", Map.of()).getHttpStatus());
        App graceOver = new App(app.id(), app.key(), newSecret, app.secret(), System.currentTimeMillis() - 1, true, null, null, null, null);
        install(graceOver);
        assertEquals(401, sdk(app, app.secret()).trigger(channel, "old", Map.of()).getHttpStatus());
        assertEquals(200, sdk(app, newSecret).trigger(channel, "new", Map.of()).getHttpStatus());

        try (var socket = PusherSocket.connect(port, new PusherApp(app.id(), app.key(), newSecret))) {
            install(); // the app is gone from the store
            assertEquals(4001, socket.awaitClose());
        }
        try (var refused = PusherSocket.raw(port, "/app/" + app.key() + "?protocol=7")) {
            assertEquals(4001, PusherSocket.data(refused.next("pusher:error")).get("code").asInt());
        }
        post(app, "/events", event(channel, "e", "1")).statusCode(404);
    }

    @Test
    void anAppThatRequiresSignInClosesSocketsThatDoNotSignInWith4009() throws Exception {
        App app = app("signin", new AppLimits(null, null, null, null, null, null, null, null, null, null, null, null, true, null, null));
        install(app);
        try (var signedIn = PusherSocket.connect(port, signer(app)); var anonymous = PusherSocket.connect(port, signer(app))) {
            signedIn.signIn("ana");
            assertEquals(4009, anonymous.awaitClose());
            // the signed-in one, opened before, is still served: a ping round trip after the other's close
            signedIn.send("pusher:ping", Map.of());
            signedIn.next("pusher:pong");
            assertFalse(signedIn.closedByServer());
        }
    }
}
