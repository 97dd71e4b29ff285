package io.presence.gateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import io.presence.common.pusher.PusherApp;
import io.presence.gateway.GatewayTestResources;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API through the real pusher-http-java SDK, with raw sockets listening. */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class PusherHttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private Pusher pusher;

    @BeforeEach
    void sdk() {
        pusher = sdk("app-secret");
    }

    private Pusher sdk(String secret) {
        Pusher p = new Pusher("app-id", "app-key", secret);
        p.setHost("127.0.0.1:" + port);
        p.setEncrypted(false);
        return p;
    }

    /** A POST signed by the SDK but sent raw, for what the SDK refuses to send itself. */
    private io.restassured.response.ValidatableResponse signedPost(String path, String body) {
        return given().contentType("application/json").body(body)
                .post(pusher.signedUri("POST", "/apps/app-id" + path, body).toString()).then();
    }

    private static JsonNode body(Result result) throws Exception {
        assertEquals(200, result.getHttpStatus(), result.getMessage());
        return JSON.readTree(result.getMessage());
    }

    @Test
    void triggerReachesSubscribersExceptTheExcludedSocket() throws Exception {
        String channel = "orders-" + UUID.randomUUID();
        try (var a = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT);
             var b = PusherSocket.connect(port).ignore(PusherSocket.SUBSCRIPTION_COUNT)) {
            a.subscribePublic(channel);
            b.subscribePublic(channel);
            body(pusher.trigger(channel, "created", Map.of("id", 42)));
            body(pusher.trigger(List.of(channel), "updated", Map.of("id", 42), b.socketId()));
            // the batch comes after the update in the channel's order: b got everything up to it, and no update
            body(pusher.trigger(List.of(new Event(channel, "one", "1"), new Event(channel, "two", "2"))));
            JsonNode got = a.expect("created", "updated", "one", "two").get(0);
            assertEquals(channel, got.get("channel").asText());
            assertEquals(42, JSON.readTree(got.get("data").asText()).get("id").asInt());
            b.expect("created", "one", "two");
        }
    }

    @Test
    void channelInformationCountsUsersNotConnections() throws Exception {
        String channel = "presence-api-" + UUID.randomUUID();
        try (var tab1 = PusherSocket.connect(port); var tab2 = PusherSocket.connect(port); var other = PusherSocket.connect(port)) {
            tab1.joinPresence(channel, "1", "Ana");
            tab2.joinPresence(channel, "1", "Ana");
            other.joinPresence(channel, "2", "Bob");

            JsonNode info = body(pusher.get("/channels/" + channel, Map.of("info", "user_count,subscription_count")));
            assertTrue(info.get("occupied").asBoolean());
            assertEquals(2, info.get("user_count").asInt());
            assertEquals(3, info.get("subscription_count").asInt());

            JsonNode list = body(pusher.get("/channels", Map.of("filter_by_prefix", "presence-api-", "info", "user_count")));
            assertEquals(2, list.get("channels").get(channel).get("user_count").asInt());

            JsonNode users = body(pusher.get("/channels/" + channel + "/users"));
            assertEquals(2, users.get("users").size());

            assertEquals(400, pusher.get("/channels/public-x/users").getHttpStatus());
            assertEquals(400, pusher.get("/channels/public-x", Map.of("info", "user_count")).getHttpStatus());
            assertEquals(400, pusher.get("/channels", Map.of("info", "user_count")).getHttpStatus());
            assertTrue(body(pusher.get("/channels/nobody-here")).get("occupied").asBoolean() == false);

            // a trigger can ask for the channels' attributes after publishing (Pusher's "info" on events)
            String answer = given().contentType("application/json").body(triggerWithInfo(channel, "user_count,subscription_count"))
                    .post(pusher.signedUri("POST", "/apps/app-id/events", triggerWithInfo(channel, "user_count,subscription_count")).toString())
                    .then().statusCode(200).extract().asString();
            JsonNode attributes = JSON.readTree(answer).get("channels").get(channel);
            assertEquals(2, attributes.get("user_count").asInt());
            assertEquals(3, attributes.get("subscription_count").asInt());
            String batch = "{\"batch\":[{\"name\":\"a\",\"channel\":\"" + channel + "\",\"data\":\"1\",\"info\":\"user_count\"},"
                    + "{\"name\":\"b\",\"channel\":\"news\",\"data\":\"2\"}]}";
            String batchAnswer = given().contentType("application/json").body(batch)
                    .post(pusher.signedUri("POST", "/apps/app-id/batch_events", batch).toString())
                    .then().statusCode(200).extract().asString();
            assertEquals(2, JSON.readTree(batchAnswer).get("batch").get(0).get("user_count").asInt());
            assertEquals(0, JSON.readTree(batchAnswer).get("batch").get(1).size());
            signedPost("/events", triggerWithInfo("public-x", "user_count")).statusCode(400).contentType("application/problem+json");
            signedPost("/events", triggerWithInfo(channel, "colour")).statusCode(400).contentType("application/problem+json");
        }
    }

    private static String triggerWithInfo(String channel, String info) {
        return "{\"name\":\"ping\",\"channels\":[\"" + channel + "\"],\"data\":\"{}\",\"info\":\"" + info + "\"}";
    }

    @Test
    void sendToUserAndTerminateConnections() throws Exception {
        try (var s = PusherSocket.connect(port)) {
            s.signIn("77");
            signedPost("/events", "{\"name\":\"notice\",\"channel\":\"#server-to-user-77\",\"data\":\"{}\"}").statusCode(200);
            s.next("notice");
            body(pusher.post("/users/77/terminate_connections", "{}"));
            assertEquals(4009, s.awaitClose());
        }
    }

    @Test
    void signaturesAndLimitsAreEnforced() throws Exception {
        assertEquals(401, sdk("wrong-secret").trigger("c", "e", "{}").getHttpStatus());
        Pusher unknownApp = new Pusher("no-such-app", "app-key", "app-secret");
        unknownApp.setHost("127.0.0.1:" + port);
        unknownApp.setEncrypted(false);
        assertEquals(404, unknownApp.trigger("c", "e", "{}").getHttpStatus());
        assertEquals(413, pusher.trigger("c", "e", "x".repeat(11_000)).getHttpStatus());
        signedPost("/events", "{\"name\":\"e\",\"channel\":\"bad channel\",\"data\":\"{}\"}").statusCode(400)
                .contentType("application/problem+json");
        signedPost("/events", "{\"name\":\"e\",\"channel\":\"c\",\"data\":{\"not\":\"a string\"}}").statusCode(400);
        signedPost("/events", "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\",\"socket_id\":\"nope\"}").statusCode(400);
        signedPost("/events", "not json").statusCode(400);
        signedPost("/batch_events", "{\"batch\":[]}").statusCode(400);
        String tooMany = String.join(",", java.util.Collections.nCopies(101, "\"c\""));
        signedPost("/events", "{\"name\":\"e\",\"channels\":[" + tooMany + "],\"data\":\"{}\"}").statusCode(400);

        // a request signed long ago is refused, even with a correct signature
        PusherApp app = new PusherApp("app-id", "app-key", "app-secret");
        String query = "auth_key=app-key&auth_timestamp=1353088179&auth_version=1.0";
        String signature = app.sign("GET\n/apps/app-id/channels\n" + query);
        given().get("/apps/app-id/channels?" + query + "&auth_signature=" + signature)
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body("{}").post("/apps/app-id/events").then().statusCode(401);
    }
}
