package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 30: the lean send route answers exactly as the resource it stands in front of. Each body goes once as
 * {@code application/json} (the route takes it) and once with a media type parameter the route leaves to the
 * resource; status, problem body, media type and the replay header must be the same.
 */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class LeanSendRouteTest {

    /** A media type the resource accepts as JSON and the route does not take. */
    private static final String TO_THE_RESOURCE = "application/json; profile=resource";

    @Inject
    MeterRegistry metrics;

    private static String room(TestUser owner) {
        return owner.as().body("{\"name\":\"lean\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification as(TestUser user, String contentType) {
        return given().header("Authorization", "Bearer " + user.token()).contentType(contentType);
    }

    private double taken() {
        return metrics.counter("messages.sends.lean").count();
    }

    /** Sends the body both ways; asserts the route took exactly the first and both answers agree (a store, then its replay). */
    private void same(RequestSpecification lean, RequestSpecification resource, String url, String body) {
        double before = taken();
        Response viaRoute = lean.body(body).post(url);
        assertEquals(before + 1, taken(), "the route took " + body);
        Response viaResource = resource.body(body).post(url);
        assertEquals(before + 1, taken(), "the resource took " + body);
        String what = url + " " + body;
        // a body both accept is stored by the first and replayed by the second
        assertEquals(viaResource.statusCode() == 200 ? 201 : viaResource.statusCode(), viaRoute.statusCode(),
                what + ": " + viaRoute.asString() + " vs " + viaResource.asString());
        assertEquals(viaResource.contentType(), viaRoute.contentType(), what);
        assertEquals(viaResource.header("Retry-After"), viaRoute.header("Retry-After"), what);
        if (viaRoute.statusCode() >= 400) {
            Map<String, Object> problem = viaRoute.jsonPath().getMap("$");
            assertEquals(viaResource.jsonPath().getMap("$"), problem, what);
        }
    }

    @Test
    void badBodiesAreTheResourcesProblems() {
        TestUser ana = TestUser.create("ana");
        String url = "/api/rooms/" + room(ana) + "/messages";
        List<String> bodies = List.of(
                "{\"text\":\"\",\"clientMessageId\":\"k\"}",
                "{\"text\":\"   \",\"clientMessageId\":\"k\"}",
                "{\"text\":\"" + "x".repeat(4001) + "\",\"clientMessageId\":\"k\"}",
                "{\"text\":\"hi\"}",
                "{\"clientMessageId\":\"k\"}",
                "{}",
                "{\"text\":\"hi\",\"clientMessageId\":\"has space\"}",
                "{\"text\":\"hi\",\"clientMessageId\":\"" + "k".repeat(101) + "\"}",
                "{\"text\":\"\",\"clientMessageId\":\"has space\"}",
                "{\"text\":\"a\\u0000b\",\"clientMessageId\":\"k\"}",
                "{\"text\":\"half \\ud83d\",\"clientMessageId\":\"k\"}",
                "{\"text\":\"esc\\u001b[2J\",\"clientMessageId\":\"k\"}",
                "{\"text\":[],\"clientMessageId\":\"k\"}",
                "{\"text\":\"hi\",\"clientMessageId\":{}}",
                "{\"text\":null,\"clientMessageId\":\"k\"}",
                "{\"text\":\"hi\",\"clientMessageId\":7}",
                "\"text\"",
                "[]",
                "null",
                "not json",
                "{\"text\":\"hi\",");
        for (String body : bodies) {
            same(ana.as(), as(ana, TO_THE_RESOURCE), url, body);
        }
    }

    @Test
    void callersAndPlacesAreTheResourcesProblems() {
        TestUser ana = TestUser.create("ana");
        TestUser stranger = TestUser.create("stranger");
        String room = room(ana);
        Map<String, TestUser> senders = new LinkedHashMap<>();
        senders.put("/api/rooms/" + room + "/messages", stranger); // 403: not a member
        senders.put("/api/rooms/999999999/messages", ana); // 404: no such room
        senders.put("/api/conversations/" + stranger.id() + "/messages", ana); // 403: not contacts
        for (Map.Entry<String, TestUser> send : senders.entrySet()) {
            String body = "{\"text\":\"hi\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}";
            same(send.getValue().as(), as(send.getValue(), TO_THE_RESOURCE), send.getKey(), body);
        }
        String body = "{\"text\":\"hi\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}";
        same(given().contentType("application/json"), given().contentType(TO_THE_RESOURCE), "/api/rooms/" + room + "/messages", body);
        same(given().header("Authorization", "Bearer nobody").contentType("application/json"),
                given().header("Authorization", "Bearer nobody").contentType(TO_THE_RESOURCE), "/api/rooms/" + room + "/messages", body);
    }

    @Test
    void aSendAndItsRetryAnswerAsTheResourceDoes() {
        TestUser ana = TestUser.create("ana");
        String url = "/api/rooms/" + room(ana) + "/messages";
        String key = TestUser.newKey();
        String body = "{\"text\":\"lean \\u00e9\\ud83d\\ude00\\n\",\"clientMessageId\":\"" + key + "\"}";
        double before = taken();
        Response created = ana.as().body(body).post(url);
        Response replayed = as(ana, TO_THE_RESOURCE).body(body).post(url);
        Response replayedAgain = ana.as().body(body).post(url);
        assertEquals(before + 2, taken());
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals(200, replayed.statusCode());
        assertEquals(200, replayedAgain.statusCode());
        assertEquals(replayed.contentType(), created.contentType());
        assertEquals("true", replayed.header("Idempotent-Replayed"));
        assertEquals("true", replayedAgain.header("Idempotent-Replayed"));
        assertEquals(null, created.header("Idempotent-Replayed"));
        Map<String, Object> stored = replayed.jsonPath().getMap("$");
        assertEquals(stored, created.jsonPath().getMap("$"));
        assertEquals(stored, replayedAgain.jsonPath().getMap("$"));
        assertEquals("lean \u00e9\ud83d\ude00\n", stored.get("text"));
    }
}
