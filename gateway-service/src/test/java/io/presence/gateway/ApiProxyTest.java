package io.presence.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(GatewayStores.class)
@WithTestResource(FakeBackends.class)
class ApiProxyTest {

    @Test
    void forwardsMethodPathQueryAndEndToEndHeaders() {
        given().header("Authorization", "Bearer t0ken")
                .header("Proxy-Authorization", "secret-for-this-hop")
                .queryParam("q", "a b")
                .get("/api/users/ana")
                .then().statusCode(200)
                .header("X-Seen-Method", "GET")
                .header("X-Seen-Uri", "/api/users/ana?q=a%20b")
                .header("X-Seen-Authorization", "Bearer t0ken")
                .header("X-Seen-Proxy-Authorization", "null")
                .header("X-Seen-Forwarded-For", "127.0.0.1")
                .header("Set-Cookie", containsString("session=abc"));
    }

    @Test
    void keepsTheBackendStatus() {
        given().header("X-Echo-Status", "409").post("/api/contacts/requests").then().statusCode(409);
        given().header("X-Echo-Status", "401").post("/pusher/auth").then().statusCode(401);
    }

    @Test
    void streamsLargeBodiesBothWaysUnchanged() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(body);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        given().contentType("application/octet-stream").body(body)
                .post("/api/presence/anything")
                .then().statusCode(200)
                .body("size", equalTo(body.length))
                .body("sha256", equalTo(sha));
    }

    @Test
    void routesWholeSegmentsOnly() {
        given().get("/api/usersx").then().statusCode(404)
                .contentType("application/problem+json")
                .header("X-Seen-Method", (String) null);
    }

    @Test
    void anUnownedApiPathIsAProblem() {
        given().get("/api/nothing/here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("/api/nothing/here"));
    }

    @Test
    void aBackendThatIsDownIsA503ProblemQuickly() {
        given().get("/api/rooms")
                .then().statusCode(503)
                .time(lessThan(3000L))
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("urn:presence:problem:backend-unavailable"))
                .body("detail", containsString("message-service"));
    }

    @Test
    void aSilentBackendIsA504Problem() {
        given().get("/api/presence/silent")
                .then().statusCode(504)
                .time(lessThan(4000L))
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:gateway-timeout"));
    }

    @Test
    void readinessChecksRedisOnly() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis connection health check"))
                .body("checks.name", not(hasItem(containsString("backend"))));
    }
}
