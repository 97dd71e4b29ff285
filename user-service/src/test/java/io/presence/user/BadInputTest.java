package io.presence.user;

import static io.presence.common.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.testing.RawHttp;
import io.presence.testsupport.FakeMessageService;
import io.restassured.RestAssured;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 1, 2 and 9: bad text, undecodable forms, JSON of the wrong shape and Vert.x's request limits
 * are each a 4xx in application/problem+json naming what is wrong, never a 500 or an empty body.
 */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class BadInputTest {

    private static final String NUL = "a\\u0000b";

    @Test
    void nulInAPathIs400NamingTheParameter() {
        assertProblem(given().urlEncodingEnabled(false).get("/api/users/a%00b"), 400, "validation", "handle");
        TestUsers.User ana = TestUsers.newUser("ana");
        assertProblem(ana.as().urlEncodingEnabled(false).delete("/api/contacts/a%00b"), 400, "validation", "handle");
        assertProblem(ana.as().urlEncodingEnabled(false).delete("/api/contacts/blocks/a%00b"), 400, "validation", "handle");
    }

    @Test
    void nulInLoginAndRegistrationIs400NamingTheField() {
        assertProblem(json("{\"handle\":\"" + NUL + "\",\"password\":\"whatever1\"}").post("/api/sessions"), 400, "validation", "handle");
        assertProblem(json("{\"handle\":\"ana\",\"password\":\"" + NUL + "\"}").post("/api/sessions"), 400, "validation", "password");
        String handle = TestUsers.uniqueHandle("reg");
        assertProblem(json("{\"handle\":\"" + NUL + "\",\"password\":\"long enough\"}").post("/api/users"), 400, "validation", "handle");
        assertProblem(json("{\"handle\":\"" + handle + "\",\"password\":\"long\\u0000enough\"}").post("/api/users"), 400, "validation", "password");
        assertProblem(json("{\"handle\":\"" + handle + "\",\"password\":\"long enough\",\"displayName\":\"" + NUL + "\"}")
                .post("/api/users"), 400, "validation", "displayName");
        assertProblem(json("{\"handle\":\"" + handle + "\",\"password\":\"long enough\",\"status\":\"\\ud800\"}")
                .post("/api/users"), 400, "validation", "status");
    }

    @Test
    void badTextInProfileAndContactsIs400NamingTheField() {
        TestUsers.User ana = TestUsers.newUser("ana");
        assertProblem(ana.as().body("{\"displayName\":\"" + NUL + "\"}").patch("/api/users/me"), 400, "validation", "displayName");
        assertProblem(ana.as().body("{\"status\":\"bell\\u0007\"}").patch("/api/users/me"), 400, "validation", "status");
        assertProblem(ana.as().body("{\"to\":\"" + NUL + "\"}").post("/api/contacts/requests"), 400, "validation", "to");
        assertProblem(ana.as().body("{\"handle\":\"" + NUL + "\"}").post("/api/contacts/blocks"), 400, "validation", "handle");
        assertProblem(ana.as().body("{\"handle\":\"x\\udc00\"}").post("/api/contacts/blocks"), 400, "validation", "handle");
    }

    @Test
    void percentGarbageAsAFormIs400() {
        TestUsers.User ana = TestUsers.newUser("ana");
        for (String path : new String[] {"/pusher/auth", "/pusher/user-auth"}) {
            assertProblem(given().header("Authorization", "Bearer " + ana.token())
                    .contentType(ContentType.URLENC).body("%%%").post(path), 400, "bad-request");
        }
        assertProblem(given().contentType(ContentType.URLENC).body("socket_id=%%%").post("/pusher/auth"), 400, "bad-request");
    }

    @Test
    void percentEncodingThatIsNotUtf8IsHandled() throws Exception {
        for (String target : new String[] {"/api/users/%C3%28", "/api/users/%ED%A0%80", "/api/users/a%00%C3"}) {
            RawHttp.Answer answer = RawHttp.get(RestAssured.port, "GET", target);
            assertTrue(answer.status() == 400 || answer.status() == 404, target + ": " + answer.status());
            assertTrue(answer.contentType().startsWith("application/problem+json"), target + ": " + answer.headers());
        }
        // A target that is no URI at all is refused by Quarkus before any route, with a bare 400 (docs/api.md, errors).
        assertEquals(400, RawHttp.get(RestAssured.port, "GET", "/api/users/%%%").status());
    }

    @Test
    void jsonOfTheWrongShapeIs400NamingTheField() {
        assertProblem(json("{\"handle\":[],\"password\":\"x\"}").post("/api/sessions"), 400, "validation", "handle");
        assertProblem(json("{\"handle\":\"ana\",\"password\":{}}").post("/api/sessions"), 400, "validation", "password");
        TestUsers.User ana = TestUsers.newUser("ana");
        assertProblem(ana.as().body("{\"displayName\":[]}").patch("/api/users/me"), 400, "validation", "displayName");
        assertProblem(ana.as().body("{\"status\":{\"a\":1}}").patch("/api/users/me"), 400, "validation", "status");
        assertProblem(ana.as().body("{\"to\":[\"a\"]}").post("/api/contacts/requests"), 400, "validation", "to");
        assertProblem(json("[]").post("/api/sessions"), 400, "validation", "body");
        assertProblem(json("{\"handle\":").post("/api/sessions"), 400, "bad-request");
    }

    @Test
    void vertxLimitsAreProblems() {
        // quarkus.http.limits: request line 4096, headers 20K, body 10240K
        assertProblem(given().urlEncodingEnabled(false).get("/api/users/" + "a".repeat(10_000)), 414, "uri-too-long");
        assertProblem(given().header("X-Big", "b".repeat(30_000)).get("/api/users/ana"), 431, "headers-too-large");
        assertProblem(json("{\"handle\":\"" + "c".repeat(11 * 1024 * 1024) + "\"}").post("/api/sessions"), 413, "payload-too-large");
        // the connection stays usable after an early 413
        given().get("/q/health/live").then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification json(String body) {
        return given().contentType(ContentType.JSON).body(body);
    }
}
