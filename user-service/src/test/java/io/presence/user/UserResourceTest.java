package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.budget.Budgets;
import io.presence.common.budget.BudgetsConfig;
import io.presence.common.http.ClientAddress;
import io.presence.common.testing.BudgetTests;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.service.AccountService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class) // the same resources as the other classes, so Quarkus starts once
class UserResourceTest {

    @Inject
    Budgets budgets;

    @Inject
    BudgetsConfig budgetsConfig;

    @Inject
    MeterRegistry metrics;

    private static Response register(String handle, String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body("{\"handle\":\"" + handle + "\",\"password\":\"correct horse\"}").post("/api/users");
    }

    @Test
    void registrationsPerAddressAreBudgeted() {
        // issue 26: 40 registrations from one address in a few seconds all succeeded, each a bcrypt hash
        // the test profile's limit is generous (the tests register hundreds from 127.0.0.1): all of it but one is
        // taken first, as if by earlier registrations from this /64
        BudgetsConfig.Budget budget = BudgetTests.takeAllButOne(budgets, budgetsConfig, AccountService.REGISTRATION_BUDGET,
                ClientAddress.group("2001:db8:26:a::1"));
        double before = BudgetTests.refusals(metrics, AccountService.REGISTRATION_BUDGET);
        register(TestUsers.uniqueHandle("last"), "2001:db8:26:a::2").then().statusCode(201); // the limit
        String refused = TestUsers.uniqueHandle("over");
        Problems.assertRateLimited(register(refused, "2001:db8:26:a:ffff::3"), 1, BudgetTests.oneBackSeconds(budget));
        assertEquals(1, BudgetTests.refusals(metrics, AccountService.REGISTRATION_BUDGET) - before, "counted in budgets.refusals{budget}");
        given().get("/api/users/" + refused).then().statusCode(404);
        // another /64, and an IPv4 address, have budgets of their own
        register(refused, "2001:db8:26:b::1").then().statusCode(201);
        register(TestUsers.uniqueHandle("four"), "10.26.4.1").then().statusCode(201);
    }

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
