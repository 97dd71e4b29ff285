package io.presence.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.client.AuthorizationFailureException;
import com.pusher.client.util.HttpChannelAuthorizer;
import io.presence.common.pusher.Channels;
import io.presence.common.pusher.PusherApp;
import com.pusher.client.Pusher;
import java.util.concurrent.TimeUnit;
import io.presence.common.testing.Problems;
import io.presence.common.testing.Race;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shared suite's packaged services, each reaching its stores through a TCP proxy of its own so the stores can be
 * "taken away" from it: readiness, routing through the gateway, and failure behaviour (each fault is undone at the
 * end of its test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedSuite
class SuiteIT {

    /** A ceiling for what must happen: several times what it takes on a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ServiceSuite suite;

    @BeforeAll
    static void suite() {
        suite = SharedSuite.suite();
    }

    private static ServiceProcess service(String name) {
        return suite.service(name);
    }

    private static String gateway(String path) {
        return suite.gateway(path);
    }

    /** A metrics URL: a gateway serves them on its management port, the backends (not public) on their own port. */
    private static String metrics(String instance) {
        return service(instance).service.equals("gateway-service") ? "http://127.0.0.1:" + suite.managementPort(instance) + "/q/metrics"
                : service(instance).url("/q/metrics");
    }

    @Test
    @Order(1)
    void everyServiceIsLiveReadyAndObservable() {
        for (String instance : suite.instances()) {
            ServiceProcess s = service(instance);
            given().get(s.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
            given().get(s.url("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
            given().get(metrics(instance)).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
            given().get(s.url("/q/openapi")).then().statusCode(200).body(containsString("openapi"));
            given().get(s.url("/q/swagger-ui/")).then().statusCode(200);
        }
    }

    @Test
    @Order(2)
    void requestsThroughTheGatewayReachEachBackendAndComeBack() {
        String handle = "sys" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\",\"displayName\":\"System Test\"}")
                .post(gateway("/api/users"))
                .then().statusCode(201)
                .header("Location", containsString("/api/users/" + handle))
                .body("displayName", equalTo("System Test"));
        given().get(gateway("/api/users/" + handle)).then().statusCode(200).body("handle", equalTo(handle));
        given().get(gateway("/api/users/nobody-" + handle)).then().statusCode(404).contentType("application/problem+json");

        String token = login(handle).then().statusCode(201).extract().path("token");
        String id = given().get(gateway("/api/users/" + handle)).then().extract().path("id");
        given().header("Authorization", "Bearer " + token).get(gateway("/api/presence/users/" + id)).then().statusCode(200)
                .body("online", equalTo(false)).body("status", equalTo("offline"));
        given().get(gateway("/api/presence/users/" + id)).then().statusCode(401).contentType("application/problem+json");
        signedGet("/api/presence/users/" + id).then().statusCode(200).body("userId", equalTo(id));

        given().get(gateway("/api/rooms")).then().statusCode(200).body("rooms", notNullValue());
    }

    /**
     * Issue 17 against the real services: the black-box probe's failures, each through the gateway as a client
     * meets it, or straight at a backend where the probe went.
     */
    @Test
    @Order(2)
    void theHardeningProbeFindsNothing() throws Exception {
        String handle = "probe" + UUID.randomUUID().toString().substring(0, 8);
        // 7: the Location is the gateway's own URL, with its port
        given().contentType(ContentType.JSON).body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                .post(gateway("/api/users")).then().statusCode(201).header("Location", equalTo(gateway("/api/users/" + handle)));
        String token = login(handle).then().statusCode(201).extract().path("token");
        var room = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"name\":\"probe\",\"visibility\":\"private\"}").post(gateway("/api/rooms"));
        room.then().statusCode(201).header("Location", equalTo(gateway("/api/rooms/" + room.path("id"))));
        String roomId = room.path("id");
        String me = given().get(gateway("/api/users/" + handle)).then().extract().path("id");

        // 1, 2, 9: bad text, undecodable forms, JSON of the wrong shape: 400 problem+json naming the field
        Problems.assertProblem(given().urlEncodingEnabled(false).get(gateway("/api/users/a%00b")), 400, "validation", "handle");
        Problems.assertProblem(given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"text\":\"a\\u0000b\",\"clientMessageId\":\"k1\"}").post(gateway("/api/rooms/" + roomId + "/messages")),
                400, "validation", "text");
        Problems.assertProblem(given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"text\":[],\"clientMessageId\":\"k2\"}").post(gateway("/api/rooms/" + roomId + "/messages")),
                400, "validation", "text");
        Problems.assertProblem(given().header("Authorization", "Bearer " + token).contentType(ContentType.URLENC)
                .body("%%%").post(gateway("/pusher/auth")), 400, "bad-request");

        // 3: 20 MB through the gateway is a 413 problem every time, never a 502
        for (int i = 0; i < 3; i++) {
            Problems.assertProblem(given().contentType(ContentType.JSON).body(new byte[20 * 1024 * 1024]).post(gateway("/api/users")),
                    413, "payload-too-large");
        }

        // 4: eight identical blocks at once
        String other = register("probee");
        assertEquals(Map.of(204, 8L), Race.run(8, () -> given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"handle\":\"" + other + "\"}").post(gateway("/api/contacts/blocks"))));

        // 5: the internal endpoints refuse calls without the service token
        Problems.assertProblem(given().get(service("user-service").url("/internal/relations/" + me + "/" + me)), 401, "unauthorized");
        Problems.assertProblem(given().get(service("message-service").url("/internal/rooms/" + roomId + "/members/" + me)),
                401, "unauthorized");
        given().get(gateway("/internal/relations/1/2")).then().statusCode(404);

        // 8: metrics name paths by their template, never with the handle or id in them, and not on the public port
        String scraped = given().get(metrics("gateway-service")).then().statusCode(200).extract().asString();
        assertTrue(scraped.contains("uri=\"/api/users/{handle}\""), "templated");
        assertFalse(scraped.contains(handle), "no handle in the gateway's metrics");
        assertFalse(given().get(metrics("message-service")).asString().contains("/api/rooms/" + roomId), "no room id in message-service's");
        given().get(gateway("/q/metrics")).then().statusCode(404);
    }

    /** A GET signed with the development app's key and secret, as a backend sends it. */
    private static io.restassured.response.Response signedGet(String path) {
        String query = new PusherApp("app-id", "app-key", "app-secret").signedQuery("GET", path, Map.of(), null);
        return given().urlEncodingEnabled(false).get(gateway(path + "?" + query));
    }

    private static String register(String base) {
        String handle = base + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                .post(gateway("/api/users")).then().statusCode(201);
        return handle;
    }

    private static io.restassured.response.Response login(String handle) {
        return given().contentType(ContentType.JSON).body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                .post(gateway("/api/sessions"));
    }

    @Test
    @Order(2)
    void theSeed003FlowWorksThroughTheGatewayWithCookieAndBearer() {
        String handle = register("seed");
        var cookieLogin = login(handle);
        cookieLogin.then().statusCode(201).header("Set-Cookie", containsString("HttpOnly"));
        String cookie = cookieLogin.cookie("presence_session");
        given().cookie("presence_session", cookie).get(gateway("/api/sessions/me")).then().statusCode(200)
                .body("user.handle", equalTo(handle));
        given().cookie("presence_session", cookie).delete(gateway("/api/sessions/current")).then().statusCode(204);
        given().cookie("presence_session", cookie).get(gateway("/api/sessions/me")).then().statusCode(401)
                .contentType("application/problem+json");

        String token = login(handle).then().statusCode(201).extract().path("token");
        given().auth().oauth2(token).get(gateway("/api/sessions/me")).then().statusCode(200);
        given().auth().oauth2(token).delete(gateway("/api/sessions/current")).then().statusCode(204);
        given().auth().oauth2(token).get(gateway("/api/sessions/me")).then().statusCode(401);
    }

    @Test
    @Order(2)
    void channelAuthorizationThroughTheGatewayAsPusherJavaClientCallsIt() throws Exception {
        PusherApp app = new PusherApp("app-id", "app-key", "app-secret");
        ObjectMapper json = new ObjectMapper();
        String ana = register("ana");
        String bob = register("bob");
        String anaToken = login(ana).then().extract().path("token");
        String bobToken = login(bob).then().extract().path("token");
        String anaId = given().auth().oauth2(anaToken).get(gateway("/api/sessions/me")).then().extract().path("user.id");
        String bobId = given().auth().oauth2(bobToken).get(gateway("/api/sessions/me")).then().extract().path("user.id");

        HttpChannelAuthorizer anaAuth = new HttpChannelAuthorizer(gateway("/pusher/auth"));
        anaAuth.setHeaders(Map.of("Authorization", "Bearer " + anaToken));
        JsonNode presence = json.readTree(anaAuth.authorize("presence-lobby", "1.2"));
        assertTrue(app.verifyAuth(presence.get("auth").asText(),
                PusherApp.presenceChannelText("1.2", "presence-lobby", presence.get("channel_data").asText())));

        // a direct channel opens once the contact request is accepted
        String dm = Channels.directChannel(Long.parseLong(anaId), Long.parseLong(bobId));
        assertThrows(AuthorizationFailureException.class, () -> anaAuth.authorize(dm, "1.2"));
        String request = given().auth().oauth2(anaToken).contentType(ContentType.JSON).body("{\"to\":\"" + bob + "\"}")
                .post(gateway("/api/contacts/requests")).then().statusCode(201).extract().path("id");
        given().auth().oauth2(bobToken).post(gateway("/api/contacts/requests/" + request + "/accept")).then().statusCode(200);
        JsonNode direct = json.readTree(anaAuth.authorize(dm, "1.2"));
        assertTrue(app.verifyAuth(direct.get("auth").asText(), PusherApp.privateChannelText("1.2", dm)));

        // room channels: user-service asks the real message-service
        long room;
        try (var c = suite.database().connect(suite.database().database()); var s = c.createStatement()) {
            var rs = s.executeQuery("INSERT INTO messages.rooms (name, visibility, created_by) VALUES ('sys', 'private', "
                    + anaId + ") RETURNING id");
            rs.next();
            room = rs.getLong(1);
            s.execute("INSERT INTO messages.room_members (room_id, user_id) VALUES (" + room + ", " + anaId + ")");
        }
        json.readTree(anaAuth.authorize("presence-room-" + room, "1.2"));
        HttpChannelAuthorizer bobAuth = new HttpChannelAuthorizer(gateway("/pusher/auth"));
        bobAuth.setHeaders(Map.of("Authorization", "Bearer " + bobToken));
        assertThrows(AuthorizationFailureException.class, () -> bobAuth.authorize("presence-room-" + room, "1.2"));
    }

    @Test
    @Order(2)
    void pusherJavaClientSubscribesWithSignaturesFromUserService() throws Exception {
        String ana = register("pjana");
        String bob = register("pjbob");
        String anaToken = login(ana).then().extract().path("token");
        String bobToken = login(bob).then().extract().path("token");
        String anaId = given().auth().oauth2(anaToken).get(gateway("/api/sessions/me")).then().extract().path("user.id");
        String bobId = given().auth().oauth2(bobToken).get(gateway("/api/sessions/me")).then().extract().path("user.id");
        int port = service("gateway-service").port;
        Pusher anaClient = PusherClients.connect(port, anaToken);
        Pusher bobClient = PusherClients.connect(port, bobToken);
        try {
            PusherClients.Recorder own = new PusherClients.Recorder();
            anaClient.subscribePrivate("private-user-" + anaId, own);
            own.await("subscribed");

            PusherClients.Recorder foreign = new PusherClients.Recorder();
            anaClient.subscribePrivate("private-user-" + bobId, foreign);
            foreign.await("auth-failed");

            PusherClients.Recorder anaLobby = new PusherClients.Recorder();
            String lobby = "presence-lobby-sys-" + UUID.randomUUID();
            anaClient.subscribePresence(lobby, anaLobby);
            anaLobby.await("users:1");
            PusherClients.Recorder bobLobby = new PusherClients.Recorder();
            bobClient.subscribePresence(lobby, bobLobby);
            bobLobby.await("users:2");
            anaLobby.await("added:" + bobId);

            // status: the classic demo's client event, seen live as pusher:member_updated and by a late joiner
            anaClient.getPresenceChannel(lobby).bind("pusher:member_updated", anaLobby);
            bobClient.getPresenceChannel(lobby).trigger("client-status-update", "{\"status\":\"busy\",\"text\":\"in a call\"}");
            anaLobby.await("event:pusher:member_updated");
            String cy = register("pjcy");
            Pusher cyClient = PusherClients.connect(port, login(cy).then().extract().path("token"));
            try {
                PusherClients.Recorder cyLobby = new PusherClients.Recorder();
                cyClient.subscribePresence(lobby, cyLobby);
                cyLobby.await("users:3");
                String bobInfo = cyClient.getPresenceChannel(lobby).getUsers().stream()
                        .filter(u -> u.getId().equals(bobId)).findFirst().orElseThrow().getInfo();
                JsonNode info = new ObjectMapper().readTree(bobInfo);
                assertEquals("busy", info.get("status").asText(), bobInfo);
                assertEquals("in a call", info.get("text").asText(), bobInfo);
            } finally {
                cyClient.disconnect();
            }

            bobClient.unsubscribe(lobby);
            anaLobby.await("removed:" + bobId);
        } finally {
            anaClient.disconnect();
            bobClient.disconnect();
        }
    }

    @Test
    @Order(3)
    void losingPostgresTakesDownOnlyTheServicesThatNeedIt() throws Exception {
        List<TcpProxy> postgres = List.of(suite.postgresProxy("user-service"), suite.postgresProxy("message-service"));
        try {
            for (TcpProxy proxy : postgres) {
                proxy.cut();
            }
            await().atMost(WAIT).untilAsserted(() -> {
                assertEquals(503, service("user-service").readiness());
                assertEquals(503, service("message-service").readiness());
            });
            assertEquals(200, service("presence-service").readiness());
            assertEquals(200, service("gateway-service").readiness());
            given().contentType(ContentType.JSON)
                    .body("{\"handle\":\"while-down\",\"password\":\"long enough\"}")
                    .post(gateway("/api/users"))
                    .then().statusCode(503)
                    .time(lessThan(WAIT.toMillis())) // refused, not hung: a ceiling, not a benchmark
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:presence:problem:store-unavailable"));
        } finally {
            for (TcpProxy proxy : postgres) {
                proxy.restore();
            }
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(200, service("user-service").readiness());
            assertEquals(200, service("message-service").readiness());
        });
        given().get(gateway("/api/rooms")).then().statusCode(200);
    }

    @Test
    @Order(4)
    void losingRedisTakesDownOnlyTheServicesThatNeedIt() throws Exception {
        List<TcpProxy> redis = suite.instances().stream().map(suite::redisProxy).toList();
        try {
            for (TcpProxy proxy : redis) {
                proxy.cut();
            }
            await().atMost(WAIT).untilAsserted(() -> {
                assertEquals(503, service("presence-service").readiness());
                assertEquals(503, service("gateway-service").readiness());
                assertEquals(503, service("user-service").readiness());
            });
            assertEquals(200, service("message-service").readiness());
            signedGet("/api/presence/users/someone")
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:presence:problem:store-unavailable"));
        } finally {
            for (TcpProxy proxy : redis) {
                proxy.restore();
            }
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(200, service("presence-service").readiness());
            assertEquals(200, service("gateway-service").readiness());
            assertEquals(200, service("user-service").readiness());
        });
    }

    @Test
    @Order(5)
    void aBackendThatIsDownIsAProblemFromTheGatewayNotAHang() throws Exception {
        service("message-service").kill();
        try {
            given().get(gateway("/api/rooms"))
                    .then().statusCode(503)
                    .time(lessThan(WAIT.toMillis())) // refused, not hung: a ceiling, not a benchmark
                    .contentType("application/problem+json")
                    .header("Retry-After", "2")
                    .body("type", equalTo("urn:presence:problem:backend-unavailable"))
                    .body("detail", containsString("message-service"));
            // the other backends are unaffected
            signedGet("/api/presence/users/someone").then().statusCode(200);
        } finally {
            suite.startAgain("message-service");
        }
    }

    @Test
    @Order(6)
    void aStoppingGatewayClosesSocketsWith4200SoClientsReconnectElsewhere() throws Exception {
        RawSocket socket = new RawSocket(service("gateway-service").port); // connection_established read
        try {
            service("gateway-service").close();
            assertEquals(4200, socket.closeCode().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } finally {
            suite.startAgain("gateway-service");
        }
    }
}
