package io.presence.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.testing.Problems;
import io.presence.common.testing.RawHttp;
import io.presence.gateway.config.GatewayConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(GatewayTestResources.class)
class ApiProxyTest {

    /** How many times a configured timeout a request may take here before the test calls it a hang. */
    private static final long SEVERAL = 5;

    @Inject
    GatewayConfig config;

    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL managementMetrics;

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
                .header("X-Seen-Forwarded-For", "[127.0.0.1]")
                .header("Set-Cookie", containsString("session=abc"));
    }

    @Test
    void keepsTheBackendStatus() {
        given().header("X-Echo-Status", "409").post("/api/contacts/requests").then().statusCode(409);
        given().header("X-Echo-Status", "401").post("/pusher/auth").then().statusCode(401);
    }

    @Test
    void forwardingHeadersAreTheGatewaysOwnNeverTheClients() {
        // issue 17, items 6 and 7: the client's claims are replaced, not appended to
        given().header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Port", "443").header("Forwarded", "for=6.6.6.6")
                .get("/api/users/ana")
                .then().statusCode(200)
                .header("X-Seen-Forwarded-For", "[127.0.0.1]")
                .header("X-Seen-Forwarded-Proto", "[http]")
                .header("X-Seen-Forwarded-Host", "[localhost:" + io.restassured.RestAssured.port + "]")
                .header("X-Seen-Forwarded-Port", "[" + io.restassured.RestAssured.port + "]")
                .header("X-Seen-Forwarded", "null");
    }

    @Test
    void streamsLargeBodiesBothWaysUnchanged() throws Exception {
        byte[] body = new byte[1_000_000]; // just under quarkus.http.limits.max-body-size (1M)
        new Random(42).nextBytes(body);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        given().contentType("application/octet-stream").body(body)
                .post("/api/presence/anything")
                .then().statusCode(200)
                .body("size", equalTo(body.length))
                .body("sha256", equalTo(sha));
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeAnyBackendIsAsked() {
        // issue 17, item 3
        Response refused = given().contentType("application/octet-stream").body(new byte[20 * 1024 * 1024])
                .post("/api/presence/anything");
        Problems.assertProblem(refused, 413, "payload-too-large");
        assertNull(refused.header("X-Seen-Method"), "the backend never saw it");
        // the connection the client sent the 20 MB on stays usable
        given().get("/api/users/ana").then().statusCode(200);
    }

    @Test
    void aStreamedBodyThatGrowsOverTheLimitIs413() throws Exception {
        // no Content-Length: the gateway counts while it streams, and stops at the limit
        HttpClient http = HttpClient.newHttpClient();
        byte[] chunk = new byte[64 * 1024];
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/presence/anything"))
                .POST(HttpRequest.BodyPublishers.ofByteArrays(Collections.nCopies(32, chunk))) // 2 MiB, length not declared
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("urn:presence:problem:payload-too-large"), response.body());
    }

    @Test
    void aBackendsEarlyAnswerIsRelayedWhileTheClientIsStillSending() {
        // issue 17, item 3: the backend answers 401 before reading an upload; the client gets that 401, not a 502
        for (int i = 0; i < 5; i++) {
            given().contentType("application/octet-stream").body(new byte[900 * 1024])
                    .post("/api/presence/early")
                    .then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:presence:problem:unauthorized"));
        }
    }

    @Test
    void metricsNameProxiedPathsByTheirTemplateAndOnlyOnTheManagementPort() {
        // issue 17, item 8
        given().get("/api/users/secret-handle-4711").then().statusCode(200);
        given().get("/api/presence/users/user-4711/status").then().statusCode(200);
        given().header("X-Echo-Status", "404").get("/api/contacts/requests/4711/accept").then().statusCode(404);
        Response scraped = given().get(managementMetrics);
        assertEquals(200, scraped.statusCode(), managementMetrics + " answered " + scraped.statusCode());
        String metrics = scraped.asString();
        assertTrue(metrics.contains("uri=\"/api/users/{handle}\""), "templated users path");
        assertTrue(metrics.contains("uri=\"/api/presence/users/{id}/status\""), "templated presence path");
        // the raw segments, not any "4711": a histogram bucket or a byte count may contain those digits by chance
        for (String raw : new String[] {"secret-handle-4711", "user-4711", "requests/4711"}) {
            assertFalse(metrics.contains(raw), raw + " in the metrics: no raw id or handle belongs there");
        }
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void pathsThatCouldMeanAnotherResourceAreRefusedWithAProblemAndNeverForwarded() throws Exception {
        // issue 26, point 6: the path routed and the path a backend acts on must be one; /internal is never reachable
        Map<String, Integer> refused = new LinkedHashMap<>();
        refused.put("/api/./users/me", 400);
        refused.put("/api/rooms/../users/me", 400);
        refused.put("/api/rooms/%2e%2e/users/me", 400);
        refused.put("/api/rooms/%2E./users/me", 400);
        refused.put("/api/users/me/.", 400);
        refused.put("/api/users/%2e", 400);
        refused.put("/api/users/a%2fb", 400);
        refused.put("/api/users/a%2Fb", 400);
        refused.put("/api/users/a%5Cb", 400);
        refused.put("/api/users/..%2f..%2finternal/apps", 400);
        refused.put("/pusher/auth/../../api/users/me", 400);
        refused.put("/internal/apps", 404);
        refused.put("/internal", 404);
        refused.put("/%69nternal/apps", 404);
        refused.put("/api/../internal/apps", 404);
        for (Map.Entry<String, Integer> path : refused.entrySet()) {
            RawHttp.Answer answer = RawHttp.get(io.restassured.RestAssured.port, "GET", path.getKey());
            assertEquals(path.getValue(), answer.status(), path.getKey() + ": " + answer.body());
            assertTrue(answer.contentType().startsWith("application/problem+json"), path.getKey() + ": " + answer.contentType());
            assertFalse(answer.headers().containsKey("x-seen-method"), path.getKey() + " reached a backend");
        }
        // and with a body, the refusal comes as well, the connection reusable
        given().urlEncodingEnabled(false).body("{}").post("/api/rooms/%2e%2e/users/me").then().statusCode(400).header("X-Seen-Method", (String) null);
    }

    @Test
    void theNormalisedPathItRoutedIsThePathItForwards() {
        // %75 is "u": the gateway routes /api/users/ana, and that is what the backend is asked for, query unchanged
        given().urlEncodingEnabled(false).get("/api/%75sers/ana?q=a%20b")
                .then().statusCode(200)
                .header("X-Seen-Uri", "/api/users/ana?q=a%20b");
    }

    @Test
    void aClientsInternalTokenIsNeverForwarded() {
        given().header("X-Internal-Token", FakeBackends.SERVICE_TOKEN).get("/api/users/ana")
                .then().statusCode(200)
                .header("X-Seen-Internal-Token", "null")
                .header("X-Seen-Method", "GET");
    }

    @Test
    void thePagesAndEveryAnswerTellBrowsersToRunOnlyTheirOwnScriptsAndNeverInAFrame() {
        // issue 26, point 6: the browser page, the console and the API alike
        for (String path : new String[] {"/", "/console/", "/console/console.js", "/api/users/ana", "/api/nothing/here"}) {
            Response answer = given().redirects().follow(false).get(path);
            String csp = answer.header("Content-Security-Policy");
            assertTrue(csp != null && csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'")
                    && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), path + ": " + csp);
            assertEquals("no-referrer", answer.header("Referrer-Policy"), path);
            assertEquals("nosniff", answer.header("X-Content-Type-Options"), path);
        }
        given().get("/").then().statusCode(200).contentType(containsString("text/html"));
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
    void aBackendThatIsDownIsA503ProblemWithinTheConnectTimeout() {
        // the bound is generous (a busy machine is slow), yet far below a hang: the contract is the connect timeout
        given().get("/api/rooms")
                .then().statusCode(503)
                .time(lessThan(SEVERAL * config.proxy().connectTimeout().toMillis()))
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("urn:presence:problem:backend-unavailable"))
                .body("detail", containsString("message-service"));
    }

    @Test
    void aSafeRequestWhoseConnectionTheBackendClosedIsSentOnceMore() {
        // the backend closes the connection of the first GET without answering (a pooled connection it had given up,
        // or a backend going away): the gateway sends it again on a fresh one rather than answering 502
        given().get("/api/presence/drop-once-get")
                .then().statusCode(200)
                .header("X-Seen-Method", "GET");
    }

    @Test
    void anUnsafeRequestWhoseConnectionTheBackendClosedIsA502NotARepeat() {
        // a POST may have been acted on: it is never sent twice; the backend saw it once, and the next one is answered
        given().body("{}").post("/api/presence/drop-once-post")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:bad-gateway"));
        given().body("{}").post("/api/presence/drop-once-post").then().statusCode(200);
    }

    @Test
    void aSilentBackendIsA504ProblemAfterTheResponseTimeout() {
        // the fake stays silent far longer than any bound here, so the 504 can only be the gateway's own timeout
        given().get("/api/presence/silent")
                .then().statusCode(504)
                .time(lessThan(SEVERAL * config.proxy().responseTimeout().toMillis()))
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
