package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, item 6: forwarding headers from anyone but a trusted proxy are ignored, so a client cannot pick the
 * address it is throttled by, nor the host of the Location it is given. The test profile trusts only 127.0.0.1;
 * these requests come from 127.0.0.2.
 */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class UntrustedProxyTest {

    /** A JSON request sent from 127.0.0.2: this machine, but not the proxy the test profile trusts. */
    private static RequestSpecification fromUntrustedAddress() throws UnknownHostException {
        InetAddress untrusted = InetAddress.getByName("127.0.0.2");
        return given().contentType(ContentType.JSON).config(RestAssured.config()
                .httpClient(HttpClientConfig.httpClientConfig().setParam("http.route.local-address", untrusted)));
    }

    @Test
    void aForgedXForwardedForDoesNotEscapeTheThrottle() throws Exception {
        // eight failures, each claiming another address: all count for the real one (127.0.0.2)
        for (int i = 0; i < 8; i++) {
            fromUntrustedAddress().header("X-Forwarded-For", "10.9.0." + i)
                    .body("{\"handle\":\"" + TestUsers.uniqueHandle("forger") + "\",\"password\":\"guess\"}")
                    .post("/api/sessions").then().statusCode(401);
        }
        Problems.assertProblem(fromUntrustedAddress().header("X-Forwarded-For", "10.9.1.1")
                .body("{\"handle\":\"someone\",\"password\":\"whatever1\"}")
                .post("/api/sessions"), 429, "rate-limited");
    }

    @Test
    void aForgedHostDoesNotReachTheLocation() throws Exception {
        String handle = TestUsers.uniqueHandle("host");
        fromUntrustedAddress()
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\"}")
                .post("/api/users")
                .then().statusCode(201)
                .header("Location", startsWith("http://localhost:"));
    }
}
