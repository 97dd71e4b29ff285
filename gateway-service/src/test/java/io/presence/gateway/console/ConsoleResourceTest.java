package io.presence.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.gateway.GatewayTestResources;
import io.presence.gateway.Markers;
import io.presence.testsupport.PusherSocket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The console API: operators only, the cluster overview, channels with members, the live log and test events. */
@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class ConsoleResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** With no console password set, the main app's secret is the password. */
    private static final String PASSWORD = "app-secret";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private String login() {
        String cookie = given().contentType(ContentType.JSON).body("{\"password\":\"" + PASSWORD + "\"}")
                .post("/console/api/session").then().statusCode(204)
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"))
                .extract().cookie(OperatorAuth.COOKIE);
        assertTrue(cookie != null && !cookie.isEmpty());
        return cookie;
    }

    @Test
    void everythingButTheLoginIsForOperatorsOnly() {
        for (String path : List.of("/console/api/overview", "/console/api/nodes", "/console/api/apps/app-id/channels",
                "/console/api/apps/app-id/channels/news", "/console/api/apps/app-id/channels/news/log", "/console/api/session")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            given().cookie(OperatorAuth.COOKIE, "4102444800000.forged").get(path).then().statusCode(401);
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body("{\"event\":\"x\",\"data\":\"y\"}")
                .post("/console/api/apps/app-id/channels/news/events").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"password\":\"nope\"}").post("/console/api/session")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/console/api/session").then().statusCode(400);

        String cookie = login();
        given().cookie(OperatorAuth.COOKIE, cookie).get("/console/api/session").then().statusCode(204);
        given().header("Authorization", "Bearer " + PASSWORD).get("/console/api/nodes").then().statusCode(200);
        given().delete("/console/api/session").then().statusCode(204).header("Set-Cookie", containsString("Max-Age=0"));
    }

    @Test
    void thePageIsServed() {
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", equalTo("/console/"));
        given().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Operator login"));
        given().get("/console/console.js").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/console/api/apps/{appId}/channels/{channel}/log"))
                .body(containsString("\"operator\""));
    }

    @Test
    void overviewCountsThisGatewaysConnectionsAndListsItsNodeWithItsLease() throws Exception {
        String cookie = login();
        String channel = "presence-console-" + UUID.randomUUID();
        try (var a = PusherSocket.connect(port); var b = PusherSocket.connect(port)) {
            a.joinPresence(channel, "ana", "Ana");
            b.subscribePublic("news-" + UUID.randomUUID());
            Awaitility.await().atMost(Markers.WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                JsonNode current = JSON.readTree(given().cookie(OperatorAuth.COOKIE, cookie).get("/console/api/overview")
                        .then().statusCode(200).extract().asString()).get("current");
                assertEquals(2, current.get("connections").asInt(), current.toString());
                assertEquals(2, current.get("subscriptions").asInt(), current.toString());
                assertEquals(1, current.get("members").asInt(), current.toString());
                assertTrue(current.get("redisMs").asDouble() >= 0);
            });
            JsonNode nodes = JSON.readTree(given().cookie(OperatorAuth.COOKIE, cookie).get("/console/api/nodes").then().statusCode(200)
                    .extract().asString());
            List<JsonNode> gateways = new ArrayList<>();
            nodes.forEach(n -> {
                if (n.get("service").asText().equals("gateway-service") && n.get("state").asText().equals("live")) {
                    gateways.add(n);
                }
            });
            assertEquals(1, gateways.size(), nodes.toString());
            assertTrue(gateways.get(0).get("leaseAgeMs").asLong() >= 0, nodes.toString());
            assertEquals(2, gateways.get(0).get("meters").get("presence.connections").asInt());
        }
    }

    @Test
    void aChannelShowsItsMembersAndItsLiveLogGetsEachEventOnce() throws Exception {
        String cookie = login();
        String channel = "presence-console-" + UUID.randomUUID();
        try (var ana = PusherSocket.connect(port); var bob = PusherSocket.connect(port)) {
            ana.joinPresence(channel, "ana", "Ana");
            JsonNode rows = JSON.readTree(given().cookie(OperatorAuth.COOKIE, cookie).queryParam("prefix", channel)
                    .get("/console/api/apps/app-id/channels").then().statusCode(200).extract().asString());
            assertEquals(1, rows.size(), rows.toString());
            assertEquals(channel, rows.get(0).get("name").asText());
            assertEquals(1, rows.get(0).get("userCount").asInt());

            JsonNode detail = JSON.readTree(given().cookie(OperatorAuth.COOKIE, cookie)
                    .get("/console/api/apps/app-id/channels/" + channel).then().statusCode(200).extract().asString());
            assertEquals(1, detail.get("members").size(), detail.toString());
            JsonNode member = detail.get("members").get(0);
            assertEquals("ana", member.get("id").asText());
            assertEquals("online", member.get("status").asText());
            assertEquals(1, member.get("connections").asInt());

            LinkedBlockingQueue<JsonNode> log = new LinkedBlockingQueue<>();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/console/api/apps/app-id/channels/" + channel + "/log"))
                    .header("Cookie", OperatorAuth.COOKIE + "=" + cookie).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            Thread reader = new Thread(() -> {
                try (var lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            log.add(JSON.readTree(line.substring(5).trim()));
                        }
                    }
                } catch (Exception e) {
                    // the stream was closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            assertEquals("heartbeat", nextEntry(log).get("kind").asText(), "the log's first entry: it is live from here on");

            bob.joinPresence(channel, "bob", "Bob");
            postEvent(cookie, channel, "console-test");
            // a second event, after the first in the channel's order: all that came before it is all there is
            postEvent(cookie, channel, "console-marker");
            JsonNode got = ana.expect("pusher_internal:member_added", "console-test", "console-marker").get(1);
            assertEquals("{\"n\":1}", got.get("data").asText());

            List<JsonNode> entries = new ArrayList<>();
            while (entries.isEmpty() || !entries.get(entries.size() - 1).get("event").asText().equals("console-marker")) {
                JsonNode entry = nextEntry(log);
                if (!entry.get("kind").asText().equals("heartbeat")) {
                    entries.add(entry);
                }
            }
            assertEquals(List.of("pusher_internal:member_added", "console-test", "console-marker"),
                    entries.stream().map(e -> e.get("event").asText()).toList(), "each event once: " + entries);
            assertEquals("bob", JSON.readTree(entries.get(0).get("data").asText()).get("user_id").asText());
            assertEquals("{\"n\":1}", entries.get(1).get("data").asText());
            stream.body().close();
        }
    }

    private static void postEvent(String cookie, String channel, String event) {
        given().cookie(OperatorAuth.COOKIE, cookie).contentType(ContentType.JSON)
                .body("{\"event\":\"" + event + "\",\"data\":\"{\\\"n\\\":1}\"}")
                .post("/console/api/apps/app-id/channels/" + channel + "/events").then().statusCode(202);
    }

    private static JsonNode nextEntry(LinkedBlockingQueue<JsonNode> log) throws InterruptedException {
        JsonNode entry = log.poll(Markers.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(entry, "no log entry within " + Markers.WAIT);
        return entry;
    }

    @Test
    void badInputIsA4xx() {
        String cookie = login();
        String events = "/console/api/apps/app-id/channels/news/events";
        given().cookie(OperatorAuth.COOKIE, cookie).contentType(ContentType.JSON).body("{\"event\":\"\",\"data\":\"x\"}")
                .post(events).then().statusCode(400).contentType("application/problem+json");
        given().cookie(OperatorAuth.COOKIE, cookie).contentType(ContentType.JSON).body("{\"event\":\"pusher:x\",\"data\":\"x\"}")
                .post(events).then().statusCode(400);
        given().cookie(OperatorAuth.COOKIE, cookie).contentType(ContentType.JSON).body("not json")
                .post(events).then().statusCode(400);
        given().cookie(OperatorAuth.COOKIE, cookie).contentType(ContentType.JSON).body("{\"event\":\"e\",\"data\":\"x\"}")
                .post("/console/api/apps/no-such-app/channels/news/events").then().statusCode(404).contentType("application/problem+json");
        given().cookie(OperatorAuth.COOKIE, cookie).get("/console/api/apps/app-id/channels/bad%20name").then().statusCode(400);
    }
}
