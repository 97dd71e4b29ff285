package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class) // the same resources as the other classes, so Quarkus starts once
class UserResourceTest {

    @Test
    void registersAndShowsThePublicProfile() {
        given().contentType(ContentType.JSON)
                .body("{\"handle\":\"Ana.Lopez\",\"password\":\"correct horse\",\"displayName\":\"Ana\",\"status\":\"hi\"}")
                .post("/api/users")
                .then().statusCode(201)
                .header("Location", endsWith("/api/users/ana.lopez"))
                .body("handle", equalTo("ana.lopez"))
                .body("displayName", equalTo("Ana"))
                .body("createdAt", notNullValue())
                .body(not(containsString("password")));

        given().get("/api/users/ANA.lopez")
                .then().statusCode(200)
                .body("handle", equalTo("ana.lopez"));
    }

    @Test
    void aTakenHandleIsAConflictWhateverItsCase() {
        String body = "{\"handle\":\"%s\",\"password\":\"password1\"}";
        given().contentType(ContentType.JSON).body(body.formatted("bob")).post("/api/users").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body.formatted("BOB")).post("/api/users")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:conflict"));
    }

    @Test
    void everyInvalidFieldIsNamed() {
        given().contentType(ContentType.JSON)
                .body("{\"handle\":\"a!\",\"password\":\"short\",\"status\":\"" + "x".repeat(101) + "\"}")
                .post("/api/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItems("handle", "password", "status"));
    }

    @Test
    void passwordsLongerThanBcryptReadsAreRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"handle\":\"long_pw\",\"password\":\"" + "é".repeat(40) + "\"}")
                .post("/api/users")
                .then().statusCode(400)
                .body("detail", containsString("password"));
    }

    @Test
    void malformedJsonIsABadRequestNotAServerError() {
        given().contentType(ContentType.JSON).body("{\"handle\": ")
                .post("/api/users")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:bad-request"));
        given().contentType(ContentType.JSON).body("")
                .post("/api/users")
                .then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void unknownUsersAndRoutesAreProblems() {
        given().get("/api/users/nobody-here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("nobody-here"))
                .body("instance", equalTo("/api/users/nobody-here"));
        given().get("/api/nothing")
                .then().statusCode(404)
                .contentType("application/problem+json");
        given().delete("/api/users/ana")
                .then().statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void readinessChecksPostgresAndRedis() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Redis connection health check"));
    }
}
