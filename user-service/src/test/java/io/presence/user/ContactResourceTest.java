package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class ContactResourceTest {

    private static String request(TestUsers.User from, TestUsers.User to) {
        return from.as().body("{\"to\":\"" + to.handle() + "\"}").post("/api/contacts/requests")
                .then().statusCode(201).body("state", equalTo("pending")).extract().path("id");
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

        // the blocked user learns nothing more than "not allowed"
        eve.as().body("{\"to\":\"" + ana.handle() + "\"}").post("/api/contacts/requests").then().statusCode(403)
                .contentType("application/problem+json").body("detail", equalTo("not allowed"));
        ana.as().body("{\"to\":\"" + eve.handle() + "\"}").post("/api/contacts/requests").then().statusCode(403)
                .body("detail", equalTo("not allowed"));
        TestUsers.service().get("/internal/relations/" + ana.id() + "/" + eve.id()).then()
                .body("aBlocksB", equalTo(true)).body("bBlocksA", equalTo(false)).body("mayTalk", equalTo(false));

        ana.as().delete("/api/contacts/blocks/" + eve.handle()).then().statusCode(204);
        ana.as().get("/api/contacts/blocks").then().body("blocked", empty());
        request(eve, ana);
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
