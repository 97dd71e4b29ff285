package io.presence.message;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Callers are identified by user-service: what happens without a session, and when user-service fails or hangs. */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class UserServiceFailureTest {

    @AfterEach
    void healUserService() {
        FakeUserService.mode = FakeUserService.Mode.OK;
    }

    @Test
    void noOrUnknownCredentialsAre401() {
        int before = FakeUserService.SESSION_CALLS.get();
        given().get("/api/rooms/mine").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:unauthorized"));
        assertEquals(before, FakeUserService.SESSION_CALLS.get(), "no credentials: user-service is not even asked");
        given().header("Authorization", "Bearer nobody").get("/api/rooms/mine").then().statusCode(401)
                .contentType("application/problem+json");
        given().cookie("presence_session", "nobody").get("/api/conversations").then().statusCode(401);
    }

    @Test
    void theSessionCookieIsForwardedToo() {
        TestUser ana = TestUser.create("ana");
        given().cookie("presence_session", ana.token()).cookie("other", "x").get("/api/rooms/mine").then().statusCode(200);
    }

    @Test
    void sessionsAreCachedBriefly() {
        TestUser ana = TestUser.create("ana");
        int before = FakeUserService.SESSION_CALLS.get();
        for (int i = 0; i < 5; i++) {
            ana.as().get("/api/rooms/mine").then().statusCode(200);
        }
        assertEquals(before + 1, FakeUserService.SESSION_CALLS.get(), "one session check for five requests within 3 s");
    }

    @Test
    void aFailingUserServiceIs503() {
        TestUser ana = TestUser.create("ana");
        FakeUserService.mode = FakeUserService.Mode.FAILING;
        ana.as().get("/api/rooms/mine").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("urn:presence:problem:backend-unavailable"));
        FakeUserService.mode = FakeUserService.Mode.OK;
        ana.as().get("/api/rooms/mine").then().statusCode(200); // failures are not cached
    }

    /**
     * The session check gives up after its read timeout (2 s, bounded at 3 s): the caller gets a 503 to retry, not a
     * hanging request. The bound asserted is five times that, so only a missing timeout trips it, never a slow machine.
     */
    @Test
    void aHangingUserServiceIs503NotAHangingRequest() {
        TestUser ana = TestUser.create("ana");
        FakeUserService.mode = FakeUserService.Mode.HANGING;
        ana.as().get("/api/rooms/mine").then().statusCode(503).time(lessThan(15_000L))
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("urn:presence:problem:backend-unavailable"));
    }

    @Test
    void aFailingRelationCheckIs503NotAnOpenDoor() {
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        ana.as().get("/api/rooms/mine").then().statusCode(200); // session cached
        FakeUserService.mode = FakeUserService.Mode.FAILING;
        ana.as().get("/api/conversations/" + bob.id() + "/messages").then().statusCode(503)
                .contentType("application/problem+json");
    }
}
