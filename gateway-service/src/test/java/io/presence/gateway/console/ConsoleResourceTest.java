package io.presence.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
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
    /** The test profile's console password (%test.presence.console.password). */
    static final String PASSWORD = "test-console-password";

    /** budgets.console-login.limit: wrong guesses an address may make at once. */
    private static final int BUDGET = 10;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    MeterRegistry metrics;

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
            // payloads on presence channels are hidden unless asked for (see privatePayloadsAreHiddenUnlessRevealed)
            HttpResponse<java.io.InputStream> stream = openLog(cookie, channel + "/log?reveal=true", log);

            bob.joinPresence(channel, "bob", "Bob");
            postEvent(cookie, channel, "console-test");
            // a second event, after the first in the channel's order: all that came before it is all there is
            postEvent(cookie, channel, "console-marker");
            JsonNode got = ana.expect("pusher_internal:member_added", "console-test", "console-marker").get(1);
            assertEquals("{\"n\":1}", got.get("data").asText());

            List<JsonNode> entries = entriesUntil(log, "console-marker");
            assertEquals(List.of("pusher_internal:member_added", "console-test", "console-marker"),
                    entries.stream().map(e -> e.get("event").asText()).toList(), "each event once: " + entries);
            assertEquals("bob", JSON.readTree(entries.get(0).get("data").asText()).get("user_id").asText());
            assertEquals("{\"n\":1}", entries.get(1).get("data").asText());
            stream.body().close();
        }
    }

    /** Opens a channel's live log (path after /channels/) and reads its entries into the queue until its first, a heartbeat. */
    private HttpResponse<java.io.InputStream> openLog(String cookie, String logPath, LinkedBlockingQueue<JsonNode> log) throws Exception {
        HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/console/api/apps/app-id/channels/" + logPath))
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
        return stream;
    }

    /** The log's entries up to the marker event (heartbeats left out), the marker last. */
    private static List<JsonNode> entriesUntil(LinkedBlockingQueue<JsonNode> log, String marker) throws InterruptedException {
        List<JsonNode> entries = new ArrayList<>();
        while (entries.isEmpty() || !entries.get(entries.size() - 1).path("event").asText().equals(marker)) {
            JsonNode entry = nextEntry(log);
            if (!entry.get("kind").asText().equals("heartbeat")) {
                entries.add(entry);
            }
        }
        return entries;
    }

    @Test
    void privatePayloadsAreHiddenUnlessRevealed() throws Exception {
        String cookie = login();
        String presence = "presence-console-" + UUID.randomUUID();
        String privateChannel = "private-console-" + UUID.randomUUID();
        String publicChannel = "news-" + UUID.randomUUID();
        try (var ana = PusherSocket.connect(port); var bob = PusherSocket.connect(port)) {
            ana.joinPresence(presence, "ana", "Ana");
            LinkedBlockingQueue<JsonNode> hidden = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<JsonNode> revealed = new LinkedBlockingQueue<>();
            HttpResponse<java.io.InputStream> one = openLog(cookie, presence + "/log", hidden);
            HttpResponse<java.io.InputStream> two = openLog(cookie, presence + "/log?reveal=true", revealed);
            bob.joinPresence(presence, "bob", "Bob");
            postEvent(cookie, presence, "secret-event");
            postEvent(cookie, presence, "marker");
            List<JsonNode> masked = entriesUntil(hidden, "marker");
            assertEquals(List.of("pusher_internal:member_added", "secret-event", "marker"),
                    masked.stream().map(e -> e.get("event").asText()).toList());
            assertEquals("bob", JSON.readTree(masked.get(0).get("data").asText()).get("user_id").asText(), "membership is shown");
            assertFalse(masked.get(0).get("hidden").asBoolean());
            assertTrue(masked.get(1).get("hidden").asBoolean(), masked.get(1).toString());
            assertTrue(masked.get(1).get("data").isNull(), "the app's payload is withheld: " + masked.get(1));
            List<JsonNode> shown = entriesUntil(revealed, "marker");
            assertEquals("{\"n\":1}", shown.get(1).get("data").asText(), "asked for: shown");
            assertFalse(shown.get(1).get("hidden").asBoolean());
            one.body().close();
            two.body().close();

            for (String channel : List.of(privateChannel, publicChannel)) {
                LinkedBlockingQueue<JsonNode> log = new LinkedBlockingQueue<>();
                HttpResponse<java.io.InputStream> stream = openLog(cookie, channel + "/log", log);
                postEvent(cookie, channel, "marker");
                JsonNode entry = entriesUntil(log, "marker").get(0);
                assertEquals(channel.startsWith("private-"), entry.get("hidden").asBoolean(), channel + ": " + entry);
                stream.body().close();
            }
        }
    }

    @Test
    void theRightPasswordOpensDuringAFloodOfWrongOnesFromManyAddresses() throws Exception {
        double refusedBefore = refusals();
        int addresses = 20;
        int perAddress = BUDGET + 2;
        ExecutorService flood = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Integer>>> attackers = new ArrayList<>();
            for (int a = 0; a < addresses; a++) {
                String from = "127.0.1." + (10 + a);
                attackers.add(flood.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < perAddress; i++) {
                        // half as passwords, half as bearer tokens: both are guesses, counted alike
                        statuses.add(i % 2 == 0 ? FromAddress.login(from, port, "guess-" + i, null).status()
                                : FromAddress.send(from, port, "GET", "/console/api/nodes", Map.of("Authorization", "Bearer guess-" + i), null).status());
                    }
                    return statuses;
                }));
            }
            // the operator, while the flood goes on: from an address of its own, as password and as bearer token
            int opened = 0;
            while (attackers.stream().anyMatch(f -> !f.isDone()) || opened < 3) {
                assertEquals(204, FromAddress.login("127.0.2.1", port, PASSWORD, null).status(), "the right password opens");
                assertEquals(200, FromAddress.send("127.0.2.2", port, "GET", "/console/api/nodes",
                        Map.of("Authorization", "Bearer " + PASSWORD), null).status(), "the right bearer token opens");
                opened++;
            }
            for (Future<List<Integer>> attacker : attackers) {
                List<Integer> statuses = attacker.get();
                assertEquals(java.util.Collections.nCopies(BUDGET, 401), statuses.subList(0, BUDGET), "the budget's wrong guesses: 401");
                assertEquals(List.of(429, 429), statuses.subList(BUDGET, perAddress), "then 429");
            }
        } finally {
            flood.shutdownNow();
        }
        // the budget refused each address once; this gateway then refused its next attempt without asking again
        assertEquals(addresses, refusals() - refusedBefore, "each address's refusal counted in budgets_refusals_total");
    }

    @Test
    void anAddressOverItsBudgetIsRefusedEvenTheRightPasswordUnlessItsBrowserLoggedInBefore() {
        String from = "127.0.3.1";
        FromAddress.Answer first = FromAddress.login(from, port, PASSWORD, null);
        assertEquals(204, first.status());
        String device = first.cookie(OperatorAuth.DEVICE_COOKIE);
        assertNotNull(device, "a browser that logs in is recognised next time");
        for (int i = 1; i <= BUDGET; i++) {
            assertEquals(401, FromAddress.login(from, port, "guess-" + i, null).status(), "wrong guess " + i + " of " + BUDGET);
        }
        FromAddress.Answer over = FromAddress.login(from, port, "guess-over", null);
        assertEquals(429, over.status(), "one over the budget");
        assertTrue(over.header("content-type").startsWith("application/problem+json"));
        long retryAfter = Long.parseLong(over.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 90, "Retry-After: one more each 15m / 10: " + retryAfter);
        // over its budget, the address's attempts are not even compared: it cannot go on guessing
        assertEquals(429, FromAddress.login(from, port, PASSWORD, null).status());
        assertEquals(429, FromAddress.send(from, port, "GET", "/console/api/nodes", Map.of("Authorization", "Bearer " + PASSWORD), null).status());
        // the browser that logged in before has a budget of its own: the operator behind the same address gets in
        assertEquals(204, FromAddress.login(from, port, PASSWORD, device).status());
        // a forged device cookie is no browser of an operator: counted by address, refused
        assertEquals(429, FromAddress.login(from, port, PASSWORD, "00ff.forged").status());
        // other addresses are not touched
        assertEquals(204, FromAddress.login("127.0.3.2", port, PASSWORD, null).status());
    }

    @Test
    void revokedSessionsEndOnTheirNextCall() throws Exception {
        String a = login();
        String b = login();
        String c = login();
        JsonNode listed = JSON.readTree(given().cookie(OperatorAuth.COOKIE, a).get("/console/api/sessions").then().statusCode(200)
                .extract().asString());
        String idA = a.split("\\.")[0];
        String idB = b.split("\\.")[0];
        List<JsonNode> mine = new ArrayList<>();
        listed.forEach(session -> {
            if (session.get("id").asText().equals(idA)) {
                mine.add(session);
            }
        });
        assertEquals(1, mine.size(), listed.toString());
        assertTrue(mine.get(0).get("current").asBoolean());
        assertEquals("127.0.0.1", mine.get(0).get("address").asText());
        assertTrue(listed.toString().contains(idB));

        given().cookie(OperatorAuth.COOKIE, a).delete("/console/api/sessions/" + idB).then().statusCode(204);
        given().cookie(OperatorAuth.COOKIE, b).get("/console/api/session").then().statusCode(401).contentType("application/problem+json");
        given().cookie(OperatorAuth.COOKIE, b).get("/console/api/nodes").then().statusCode(401);
        given().cookie(OperatorAuth.COOKIE, a).get("/console/api/session").then().statusCode(204);
        given().cookie(OperatorAuth.COOKIE, a).delete("/console/api/sessions/" + idB).then().statusCode(404).contentType("application/problem+json");

        // logging out ends the session itself, not only the browser's cookie
        given().cookie(OperatorAuth.COOKIE, c).delete("/console/api/session").then().statusCode(204);
        given().cookie(OperatorAuth.COOKIE, c).get("/console/api/session").then().statusCode(401);

        given().cookie(OperatorAuth.COOKIE, a).delete("/console/api/sessions").then().statusCode(204);
        given().cookie(OperatorAuth.COOKIE, a).get("/console/api/session").then().statusCode(401);
        String fresh = login();
        given().cookie(OperatorAuth.COOKIE, fresh).get("/console/api/session").then().statusCode(204);
    }

    private double refusals() {
        var counter = metrics.find("budgets.refusals").tag("budget", OperatorAuth.BUDGET).counter();
        return counter == null ? 0 : counter.count();
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
