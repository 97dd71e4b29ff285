package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class AccountLifecycleTest {

    @Test
    void changesDisplayNameAndStatusText() {
        TestUsers.User ana = TestUsers.newUser("ana");
        ana.as().body("{\"displayName\":\"Ana L.\"}").patch("/api/users/me").then().statusCode(200)
                .body("displayName", equalTo("Ana L.")).body("status", equalTo("hello"));
        ana.as().body("{\"status\":\"\"}").patch("/api/users/me").then().statusCode(200)
                .body("displayName", equalTo("Ana L.")).body("status", nullValue());
        ana.as().body("{\"status\":\"" + "x".repeat(101) + "\"}").patch("/api/users/me").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().get("/api/users/" + ana.handle()).then().body("displayName", equalTo("Ana L."));
        given().contentType(ContentType.JSON).body("{}").patch("/api/users/me").then().statusCode(401);
    }

    @Test
    void deletingTheAccountEndsItsSessionsAndFreesTheHandle() {
        TestUsers.User gone = TestUsers.newUser("gone");
        gone.as().delete("/api/users/me").then().statusCode(204);
        gone.as().get("/api/sessions/me").then().statusCode(401);
        given().get("/api/users/" + gone.handle()).then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body("{\"handle\":\"" + gone.handle() + "\",\"password\":\"another one\"}")
                .post("/api/users").then().statusCode(201);
    }

    @Test
    void handlesThatArePathSegmentsAreReserved() {
        given().contentType(ContentType.JSON).body("{\"handle\":\"Blocks\",\"password\":\"long enough\"}")
                .post("/api/users").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("reserved"));
    }
}
