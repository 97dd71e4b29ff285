package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.presence.common.budget.BudgetsConfig;
import io.presence.common.testing.BudgetTests;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.service.ContactService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class ContactResourceTest {

    private static String request(TestUsers.User from, TestUsers.User to) {
        return from.as().body("{\"to\":\"" + to.handle() + "\"}").post("/api/contacts/requests")
                .then().statusCode(201).body("state", equalTo("pending")).extract().path("id");
    }

    @Inject
    BudgetsConfig budgets;

    @Test
    void contactRequestsPerUserAreBudgetedAtTheRealDefault() {
        // the test profile keeps the default every deployment gets: 30 at once, then one each 2 min
        BudgetsConfig.Budget budget = BudgetTests.assertDefault(budgets, ContactService.REQUEST_BUDGET, 30, Duration.ofHours(1));
        TestUsers.User asker = TestUsers.newUser("asker");
        for (int i = 0; i < budget.limit(); i++) {
            String asked = TestUsers.uniqueHandle("asked"); // registered, never logged in: all a request needs
            given().contentType(ContentType.JSON).body("{\"handle\":\"" + asked + "\",\"password\":\"long enough\"}")
                    .post("/api/users").then().statusCode(201);
            asker.as().body("{\"to\":\"" + asked + "\"}").post("/api/contacts/requests").then().statusCode(201);
        }
        TestUsers.User oneTooMany = TestUsers.newUser("late");
        Problems.assertRateLimited(asker.as().body("{\"to\":\"" + oneTooMany.handle() + "\"}").post("/api/contacts/requests"),
                100, 120);
        oneTooMany.as().get("/api/contacts/requests").then().statusCode(200).body("requests", empty());
        // another user's budget is their own
        request(oneTooMany, asker);
    }

    @Test
    void requestAcceptListRemove() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        String id = request(ana, bob);

        ana.as().get("/api/contacts/requests?direction=outgoing").then().statusCode(200)
                .body("requests.to.handle", contains(bob.handle()));
        bob.as().get("/api/contacts/requests").then().statusCode(200)
                .body("requests.from.handle", contains(ana.handle()));
        ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post("/api/contacts/requests").then().statusCode(409);
        // only the addressee can accept
        ana.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(404);
        // a body-less POST, as a browser's fetch sends it, needs no Content-Type
        given().header("Authorization", "Bearer " + bob.token()).post("/api/contacts/requests/" + id + "/accept")
                .then().statusCode(200).body("state", equalTo("accepted"));

        ana.as().get("/api/contacts").then().statusCode(200).body("contacts.user.handle", contains(bob.handle()));
        bob.as().get("/api/contacts").then().statusCode(200).body("contacts.user.handle", contains(ana.handle()));
        bob.as().get("/api/contacts/requests").then().body("requests", empty());
        ana.as().body("{\"to\":\"" + bob.handle() + "\"}").post("/api/contacts/requests").then().statusCode(409);

        TestUsers.service().get("/internal/relations/" + ana.id() + "/" + bob.id()).then().statusCode(200)
                .body("contacts", equalTo(true)).body("mayTalk", equalTo(true))
                .header("Cache-Control", "private, max-age=5");

        bob.as().delete("/api/contacts/" + ana.handle()).then().statusCode(204);
        ana.as().get("/api/contacts").then().body("contacts", empty());
        bob.as().delete("/api/contacts/" + ana.handle()).then().statusCode(404);
    }

    @Test
    void afterADeclineTheSenderMayAskAgain() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        String first = request(ana, bob);
        bob.as().post("/api/contacts/requests/" + first + "/decline").then().statusCode(204);
        ana.as().get("/api/contacts/requests?direction=outgoing").then().body("requests", empty());
        String second = request(ana, bob);
        ana.as().delete("/api/contacts/requests/" + second).then().statusCode(204);
        request(ana, bob);
    }

    @Test
    void askingBackAcceptsTheirRequest() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User bob = TestUsers.newUser("bob");
        request(ana, bob);
        bob.as().body("{\"to\":\"" + ana.handle().toUpperCase() + "\"}").post("/api/contacts/requests")
                .then().statusCode(200).body("state", equalTo("accepted"));
        ana.as().get("/api/contacts").then().body("contacts.user.handle", contains(bob.handle()));
    }

    @Test
    void aBlockEndsTheContactAndRefusesEverythingBothWays() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User eve = TestUsers.newUser("eve");
        String id = request(eve, ana);
        ana.as().post("/api/contacts/requests/" + id + "/accept").then().statusCode(200);

        ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);
        ana.as().get("/api/contacts/blocks").then().body("blocked.handle", contains(eve.handle()));
        eve.as().get("/api/contacts").then().body("contacts", empty());

        // the blocked user is not told of the block: their request is pending like any other (see below)
        String hidden = request(eve, ana);
        eve.as().delete("/api/contacts/requests/" + hidden).then().statusCode(204);
        // the blocker may not ask the one they block
        ana.as().body("{\"to\":\"" + eve.handle() + "\"}").post("/api/contacts/requests").then().statusCode(403)
                .body("detail", equalTo("not allowed"));
        TestUsers.service().get("/internal/relations/" + ana.id() + "/" + eve.id()).then()
                .body("aBlocksB", equalTo(true)).body("bBlocksA", equalTo(false)).body("mayTalk", equalTo(false));

        ana.as().delete("/api/contacts/blocks/" + eve.handle()).then().statusCode(204);
        ana.as().get("/api/contacts/blocks").then().body("blocked", empty());
        request(eve, ana);
    }

    /** An answer about a request as its sender sees it, with what differs between any two requests made X (to) and F (from). */
    private static String asSeen(io.restassured.response.Response response, TestUsers.User to, TestUsers.User from) {
        String id = response.path("id");
        String body = response.asString().replaceAll("\"createdAt\":\"[^\"]*\"", "\"createdAt\":\"T\"")
                // each id by its place: numbered ids of requests and users may coincide
                .replaceFirst("^\\{\"id\":\"" + id + "\"", "{\"id\":\"X\"")
                .replace("\"to\":{\"id\":\"" + to.id() + "\"", "\"to\":{\"id\":\"X\"")
                .replace("\"from\":{\"id\":\"" + from.id() + "\"", "\"from\":{\"id\":\"F\"")
                .replace(to.handle(), "X").replace(from.handle(), "F");
        String location = response.header("Location");
        assertTrue(location.endsWith("/" + id), location);
        // only the last segment is the id (the port may hold the same digits)
        return response.statusCode() + " " + response.contentType() + " " + location.substring(0, location.lastIndexOf('/') + 1) + "X\n" + body;
    }

    @Test
    void aRequestToSomeoneWhoBlockedYouIsAnsweredLikeAnyOtherAndNeverShownToThem() {
        TestUsers.User ana = TestUsers.newUser("ana");
        TestUsers.User carl = TestUsers.newUser("carl");
        TestUsers.User eve = TestUsers.newUser("eve");
        ana.as().body("{\"handle\":\"" + eve.handle() + "\"}").post("/api/contacts/blocks").then().statusCode(204);

        io.restassured.response.Response toBlocker = eve.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests");
        io.restassured.response.Response toOther = eve.as().body("{\"to\":\"" + carl.handle() + "\"}").post("/api/contacts/requests");
        assertEquals(asSeen(toOther, carl, eve), asSeen(toBlocker, ana, eve));
        // asking again, the sender's outgoing list and cancelling: the same both ways
        Problems.assertProblem(eve.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests"), 409, "conflict");
        Problems.assertProblem(eve.as().body("{\"to\":\"" + carl.handle() + "\"}").post("/api/contacts/requests"), 409, "conflict");
        eve.as().get("/api/contacts/requests?direction=outgoing").then().statusCode(200)
                .body("requests.to.handle", containsInAnyOrder(ana.handle(), carl.handle()))
                .body("requests.state", contains("pending", "pending"));

        // the blocker never sees it, and cannot act on it: it is as if there were no such request
        String hidden = toBlocker.path("id");
        ana.as().get("/api/contacts/requests").then().statusCode(200).body("requests", empty());
        Problems.assertProblem(ana.as().post("/api/contacts/requests/" + hidden + "/accept"), 404, "not-found");
        Problems.assertProblem(ana.as().post("/api/contacts/requests/" + hidden + "/decline"), 404, "not-found");
        carl.as().get("/api/contacts/requests").then().body("requests.from.handle", contains(eve.handle()));
        eve.as().delete("/api/contacts/requests/" + hidden).then().statusCode(204);
        eve.as().get("/api/contacts/requests?direction=outgoing").then().body("requests.to.handle", contains(carl.handle()));
    }

    @Test
    void badRequestsAreProblems() {
        TestUsers.User ana = TestUsers.newUser("ana");
        ana.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests").then().statusCode(400);
        ana.as().body("{\"to\":\"no-such-user-x\"}").post("/api/contacts/requests").then().statusCode(404)
                .contentType("application/problem+json");
        ana.as().body("{\"to\":\"\"}").post("/api/contacts/requests").then().statusCode(400)
                .body("errors.field", hasItem("to"));
        ana.as().body("{}").post("/api/contacts/requests").then().statusCode(400);
        ana.as().get("/api/contacts/requests?direction=sideways").then().statusCode(400);
        ana.as().post("/api/contacts/requests/999999999/accept").then().statusCode(404);
        ana.as().post("/api/contacts/requests/abc/accept").then().statusCode(404);
        ana.as().body("{\"handle\":\"no-such-user-x\"}").post("/api/contacts/blocks").then().statusCode(404);
        given().contentType(ContentType.JSON).get("/api/contacts").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"to\":\"x\"}").post("/api/contacts/requests").then().statusCode(401);
    }
}
