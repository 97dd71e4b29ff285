package io.presence.user;

import static io.presence.common.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Issue 17, item 5: /internal answers only callers with the shared service token, whatever the path looks like. */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class InternalAuthTest {

    @Test
    void relationsRefuseCallsWithoutTheServiceToken() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        String path = "/internal/relations/" + eve.id() + "/" + ana.id();

        assertProblem(given().get(path), 401, "unauthorized");
        assertProblem(given().header("X-Internal-Token", "wrong").get(path), 401, "unauthorized");
        assertProblem(given().header("X-Internal-Token", "").get(path), 401, "unauthorized");
        assertProblem(given().header("X-Internal-Token", TestUsers.SERVICE_TOKEN + "x").get(path), 401, "unauthorized");
        // a user's session is no service credential
        assertProblem(given().header("Authorization", "Bearer " + ana.token()).get(path), 401, "unauthorized");
        // other spellings of the path reach the same resource and the same check
        assertProblem(given().urlEncodingEnabled(false).get("/%69nternal/relations/" + eve.id() + "/" + ana.id()), 401, "unauthorized");
        assertProblem(given().urlEncodingEnabled(false).get("/api/../internal/relations/" + eve.id() + "/" + ana.id()), 401, "unauthorized");

        TestUsers.service().get(path).then().statusCode(200).body("bBlocksA", equalTo(true));
    }

    @Test
    void roomChannelsAreSignedOnlyBecauseUserServiceSendsItsTokenToMessageService() {
        // FakeMessageService answers 401 to calls without the token; a member check that works proves it was sent
        TestUsers.User ana = TestUsers.newUser("ana");
        FakeMessageService.MEMBERS.add("77/" + ana.id());
        given().header("Authorization", "Bearer " + ana.token())
                .formParam("socket_id", "1.2").formParam("channel_name", "presence-room-77")
                .post("/pusher/auth").then().statusCode(200);
    }
}
