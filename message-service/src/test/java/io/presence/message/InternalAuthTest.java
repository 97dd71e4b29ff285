package io.presence.message;

import static io.presence.common.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;

import io.presence.testsupport.FakeUserService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Issue 17, item 5: room membership over /internal is told only to callers with the shared service token. */
@QuarkusTest
@WithTestResource(MessageStores.class)
@WithTestResource(FakeUserService.class)
class InternalAuthTest {

    @Test
    void membershipIsRefusedWithoutTheServiceToken() {
        TestUser ana = TestUser.create("ana");
        String room = ana.as().body("{\"name\":\"secret\",\"visibility\":\"private\"}").post("/api/rooms")
                .then().statusCode(201).extract().path("id");
        String path = "/internal/rooms/" + room + "/members/" + ana.id();
        assertProblem(given().get(path), 401, "unauthorized");
        assertProblem(given().header("X-Internal-Token", "guess").get(path), 401, "unauthorized");
        assertProblem(given().header("Authorization", "Bearer " + ana.token()).get(path), 401, "unauthorized");
        // members and non-members look the same without the token
        assertProblem(given().get("/internal/rooms/" + room + "/members/1"), 401, "unauthorized");
        TestUser.service().get(path).then().statusCode(204);
    }

    @Test
    void conversationsWorkBecauseMessageServiceSendsItsTokenToUserService() {
        // FakeUserService answers /internal/relations only with the token: a send that passes the contact check proves it
        TestUser ana = TestUser.create("ana");
        TestUser bob = TestUser.create("bob");
        FakeUserService.befriend(ana.id(), bob.id());
        ana.as().body("{\"text\":\"hi\",\"clientMessageId\":\"" + TestUser.newKey() + "\"}")
                .post("/api/conversations/" + bob.id() + "/messages").then().statusCode(201);
    }
}
