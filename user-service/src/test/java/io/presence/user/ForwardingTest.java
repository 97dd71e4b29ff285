package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 6 and 7: from a trusted proxy (the gateway; here this machine), the forwarded client address
 * counts for login throttling and the forwarded scheme, host and port make the public Location.
 */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class ForwardingTest {

    @Test
    void locationCarriesThePublicUrlTheGatewayForwarded() {
        String handle = TestUsers.uniqueHandle("loc");
        given().contentType(ContentType.JSON)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "chat.example.com:8443")
                .header("X-Forwarded-Port", "8443").header("X-Forwarded-For", "203.0.113.9")
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                .post("/api/users")
                .then().statusCode(201)
                .header("Location", equalTo("https://chat.example.com:8443/api/users/" + handle));
        given().contentType(ContentType.JSON)
                .header("X-Forwarded-Proto", "http").header("X-Forwarded-Host", "localhost:8080").header("X-Forwarded-Port", "8080")
                .body("{\"handle\":\"" + handle + "x\",\"password\":\"long enough\"}")
                .post("/api/users")
                .then().statusCode(201)
                .header("Location", equalTo("http://localhost:8080/api/users/" + handle + "x"));
    }

    @Test
    void theForwardedAddressIsTheOneThrottled() {
        String address = "198.51.100.7";
        for (int i = 0; i < 8; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                    .body("{\"handle\":\"" + TestUsers.uniqueHandle("spray") + "\",\"password\":\"guess\"}")
                    .post("/api/sessions").then().statusCode(401);
        }
        String handle = TestUsers.newUser("fwd").handle();
        Problems.assertProblem(given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body("{\"handle\":\"" + handle + "\",\"password\":\"" + TestUsers.PASSWORD + "\"}")
                .post("/api/sessions"), 429, "rate-limited");
    }
}
