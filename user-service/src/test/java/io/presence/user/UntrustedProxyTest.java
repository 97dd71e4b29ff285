package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 6: forwarding headers from anyone but a trusted proxy are ignored, so a client cannot pick the
 * address it is throttled by, nor the host of the Location it is given.
 */
@QuarkusTest
@TestProfile(UntrustedProxyTest.OnlyAnotherProxyIsTrusted.class)
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class UntrustedProxyTest {

    /** Trusts one proxy address that the test never calls from. */
    public static class OnlyAnotherProxyIsTrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.trusted-proxies", "192.0.2.1/32");
        }
    }

    @Test
    void aForgedXForwardedForDoesNotEscapeTheThrottle() {
        // eight failures, each claiming another address: all count for the real one (this machine)
        for (int i = 0; i < 8; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", "10.9.0." + i)
                    .body("{\"handle\":\"" + TestUsers.uniqueHandle("forger") + "\",\"password\":\"guess\"}")
                    .post("/api/sessions").then().statusCode(401);
        }
        Problems.assertProblem(given().contentType(ContentType.JSON).header("X-Forwarded-For", "10.9.1.1")
                .body("{\"handle\":\"someone\",\"password\":\"whatever1\"}")
                .post("/api/sessions"), 429, "rate-limited");
    }

    @Test
    void aForgedHostDoesNotReachTheLocation() {
        String handle = TestUsers.uniqueHandle("host");
        given().contentType(ContentType.JSON)
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                .post("/api/users")
                .then().statusCode(201)
                .header("Location", startsWith("http://localhost:"));
    }
}
