package io.presence.message;

import static io.presence.common.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 1 and 9: bad text in messages and rooms, JSON of the wrong shape and Vert.x's request limits are
 * each a 4xx in application/problem+json naming what is wrong, never a 500 or an empty body.
 */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class BadInputTest {

    private static String room(TestUser owner) {
        return owner.as().body("{\"name\":\"bad input\",\"visibility\":\"public\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void nulInAMessageIs400NamingTheText() {
        TestUser ana = TestUser.create("ana");
        String room = room(ana);
        assertProblem(ana.as().body("{\"text\":\"a\\u0000b\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/rooms/" + room + "/messages"), 400, "validation", "text");
        assertProblem(ana.as().body("{\"text\":\"half \\ud83d\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/rooms/" + room + "/messages"), 400, "validation", "text");
        // line breaks and tabs are text in a message
        ana.as().body("{\"text\":\"two\\nlines\\tand a tab\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/rooms/" + room + "/messages").then().statusCode(201).body("text", equalTo("two\nlines\tand a tab"));
    }

    @Test
    void badTextInAnEditIs400NamingTheText() {
        TestUser ana = TestUser.create("ana");
        String room = room(ana);
        String id = ana.as().body("{\"text\":\"fine\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/rooms/" + room + "/messages").then().statusCode(201).extract().path("id");
        assertProblem(ana.as().body("{\"text\":\"a\\u0000b\"}").patch("/api/rooms/" + room + "/messages/" + id), 400, "validation", "text");
        assertProblem(ana.as().body("{\"text\":\"esc\\u001b[2J\"}").patch("/api/rooms/" + room + "/messages/" + id), 400, "validation", "text");
    }

    @Test
    void badRoomNamesAndTopicsAre400NamingTheField() {
        TestUser ana = TestUser.create("ana");
        assertProblem(ana.as().body("{\"name\":\"a\\u0000b\",\"visibility\":\"public\"}").post("/api/rooms"), 400, "validation", "name");
        assertProblem(ana.as().body("{\"name\":\"ok\",\"visibility\":\"public\",\"topic\":\"new\\nline\"}").post("/api/rooms"),
                400, "validation", "topic");
        assertProblem(ana.as().body("{\"name\":\"ok\",\"visibility\":\"a\\u0000\"}").post("/api/rooms"), 400, "validation", "visibility");
    }

    @Test
    void jsonOfTheWrongShapeIs400NamingTheField() {
        TestUser ana = TestUser.create("ana");
        String room = room(ana);
        assertProblem(ana.as().body("{\"text\":[],\"clientMessageId\":\"k\"}").post("/api/rooms/" + room + "/messages"),
                400, "validation", "text");
        assertProblem(ana.as().body("{\"text\":\"hi\",\"clientMessageId\":{}}").post("/api/rooms/" + room + "/messages"),
                400, "validation", "clientMessageId");
        assertProblem(ana.as().body("{\"messageId\":[1]}").put("/api/rooms/" + room + "/cursor"), 400, "validation", "messageId");
        assertProblem(ana.as().body("{\"name\":{\"a\":1},\"visibility\":\"public\"}").post("/api/rooms"), 400, "validation", "name");
        assertProblem(ana.as().body("{\"userId\":true}").post("/api/rooms/" + room + "/invitations"), 400, "validation", "userId");
        assertProblem(ana.as().body("\"text\"").post("/api/rooms/" + room + "/messages"), 400, "validation", "body");
    }

    @Test
    void vertxLimitsAreProblems() {
        TestUser ana = TestUser.create("ana");
        assertProblem(ana.as().get("/api/rooms/" + "9".repeat(10_000)), 414, "uri-too-long");
        assertProblem(ana.as().header("X-Big", "b".repeat(30_000)).get("/api/rooms/mine"), 431, "headers-too-large");
        assertProblem(given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ana.token())
                .body("{\"name\":\"" + "n".repeat(11 * 1024 * 1024) + "\"}").post("/api/rooms"), 413, "payload-too-large");
    }
}
