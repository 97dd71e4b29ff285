package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.testing.Problems;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.config.UserConfig;
import io.presence.user.service.PasswordHasher;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class SessionResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Response login(String handle, String password, String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body("{\"handle\":\"" + handle + "\",\"password\":\"" + password + "\"}")
                .post("/api/sessions");
    }

    @Test
    void seed003FlowWithBearer() {
        TestUsers.User ana = TestUsers.newUser("ana");
        ana.as().get("/api/sessions/me").then().statusCode(200)
                .body("user.handle", equalTo(ana.handle()))
                .body("user.status", equalTo("hello"));
        ana.as().delete("/api/sessions/current").then().statusCode(204);
        ana.as().get("/api/sessions/me").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:unauthorized"));
    }

    @Test
    void seed003FlowWithTheCookie() {
        String handle = TestUsers.newUser("cookie").handle();
        Response login = login(handle, TestUsers.PASSWORD, "10.1.0.1");
        login.then().statusCode(201)
                .body("token", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("expiresInSeconds", equalTo(600))
                .body("user.handle", equalTo(handle))
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Lax"))
                .header("Set-Cookie", containsString("Path=/"));
        String cookie = login.cookie("presence_session");
        assertEquals(login.path("token"), cookie);

        given().cookie("presence_session", cookie).get("/api/sessions/me").then().statusCode(200);
        given().cookie("presence_session", cookie).delete("/api/sessions/current").then().statusCode(204)
                .header("Set-Cookie", containsString("Max-Age=0"));
        given().cookie("presence_session", cookie).get("/api/sessions/me").then().statusCode(401);
    }

    @Test
    void logoutEverywhereEndsEverySession() {
        TestUsers.User bob = TestUsers.newUser("bob");
        String second = TestUsers.login(bob.handle());
        ana(bob.token()).delete("/api/sessions").then().statusCode(204);
        ana(bob.token()).get("/api/sessions/me").then().statusCode(401);
        ana(second).get("/api/sessions/me").then().statusCode(401);
    }

    private static io.restassured.specification.RequestSpecification ana(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Inject
    RedisDataSource redis;

    @Inject
    UserConfig config;

    @Inject
    MeterRegistry metrics;

    /** How many password checks the login(s) of {@code call} made. */
    private double passwordChecksOf(Runnable call) {
        double before = metrics.get(PasswordHasher.CHECKS).counter().count();
        call.run();
        return metrics.get(PasswordHasher.CHECKS).counter().count() - before;
    }

    private String sessionKey(String token) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        return config.keyPrefix() + ":session:" + hash;
    }

    @Test
    void onlyAHashOfTheTokenIsStoredAndItsExpirySlidesOnUse() throws Exception {
        TestUsers.User ana = TestUsers.newUser("slide");
        String key = sessionKey(ana.token());
        assertEquals(ana.id(), redis.value(String.class).get(key));
        assertTrue(redis.key().keys(config.keyPrefix() + ":*" + ana.token() + "*").isEmpty(), "the token itself is never a key");
        redis.key().expire(key, 30);
        ana.as().get("/api/sessions/me").then().statusCode(200);
        assertTrue(redis.key().ttl(key) > 500, "use renews the full TTL");
    }

    @Test
    void anExpiredSessionIs401Everywhere() throws Exception {
        TestUsers.User ana = TestUsers.newUser("expired");
        String key = sessionKey(ana.token());
        redis.key().pexpire(key, 1);
        await().atMost(WAIT).until(() -> !redis.key().exists(key));
        ana.as().get("/api/sessions/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + ana.token())
                .formParam("socket_id", "1.1").formParam("channel_name", "presence-lobby")
                .post("/pusher/auth").then().statusCode(401);
        ana.as().get("/api/contacts").then().statusCode(401);
    }

    @Test
    void noOrForgedSessionsAre401() {
        given().get("/api/sessions/me").then().statusCode(401).contentType("application/problem+json");
        ana("x".repeat(43)).get("/api/sessions/me").then().statusCode(401);
        ana("not a token at all").get("/api/sessions/me").then().statusCode(401);
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/api/sessions/me").then().statusCode(401);
        given().cookie("presence_session", "").get("/api/sessions/me").then().statusCode(401);
        given().delete("/api/sessions/current").then().statusCode(401);
    }

    @Test
    void wrongHandleAndWrongPasswordLookTheSame() {
        String handle = TestUsers.newUser("same").handle();
        Response wrongPassword = login(handle, "not the password", "10.2.0.1");
        Response wrongHandle = login(TestUsers.uniqueHandle("nobody"), "not the password", "10.2.0.2");
        wrongPassword.then().statusCode(401).contentType("application/problem+json");
        wrongHandle.then().statusCode(401).contentType("application/problem+json");
        assertEquals(wrongPassword.path("detail"), (Object) wrongHandle.path("detail"));
        assertEquals(wrongPassword.path("type"), (Object) wrongHandle.path("type"));
    }

    @Test
    void anUnknownHandleCostsThePasswordCheckAWrongPasswordCosts() {
        // the work is counted, not timed: exactly one bcrypt check per login, whether the handle exists or not
        String handle = TestUsers.newUser("work").handle();
        String ghost = TestUsers.uniqueHandle("ghost");
        String tooLong = "é".repeat(40); // 80 bytes: more than bcrypt reads
        assertEquals(1, passwordChecksOf(() -> login(handle, "not the password", "10.2.1.1").then().statusCode(401)));
        assertEquals(1, passwordChecksOf(() -> login(ghost, "not the password", "10.2.1.2").then().statusCode(401)));
        assertEquals(1, passwordChecksOf(() -> login(handle, tooLong, "10.2.1.3").then().statusCode(401)));
        assertEquals(1, passwordChecksOf(() -> login(ghost, tooLong, "10.2.1.4").then().statusCode(401)));
        assertEquals(1, passwordChecksOf(() -> login(handle, TestUsers.PASSWORD, "10.2.1.5").then().statusCode(201)));
    }

    @Test
    void repeatedFailuresForOneHandleFromOneAddressAreThrottledThere() {
        String handle = TestUsers.newUser("target").handle();
        for (int i = 0; i < 5; i++) {
            login(handle, "guess " + i, "10.3.0.1").then().statusCode(401);
        }
        login(handle, TestUsers.PASSWORD, "10.3.0.1").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:presence:problem:rate-limited"));
        // the guesser's address is stopped, the user elsewhere is not (issue 17, item 11)
        login(handle, TestUsers.PASSWORD, "10.3.0.2").then().statusCode(201);
    }

    @Test
    void guessingFromManyAddressesCannotLockTheOwnerOut() {
        TestUsers.User owner = TestUsers.newUser("owner");
        login(owner.handle(), TestUsers.PASSWORD, "10.6.0.1").then().statusCode(201); // the owner's usual address
        // %test.users.login.max-failures-per-handle=10, spread so no address reaches its own limits
        for (int i = 0; i < 10; i++) {
            login(owner.handle(), "guess " + i, "10.6.1." + i).then().statusCode(401);
        }
        // the handle is now closed to addresses it has never logged in from...
        Problems.assertProblem(login(owner.handle(), TestUsers.PASSWORD, "10.6.2.1"), 429, "rate-limited");
        Problems.assertProblem(login(owner.handle(), "guess", "10.6.2.2"), 429, "rate-limited");
        // ...but its owner, from an address it logged in from before, still gets in
        login(owner.handle(), TestUsers.PASSWORD, "10.6.0.1").then().statusCode(201);
    }

    @Test
    void repeatedFailuresFromOneAddressAreThrottled() {
        String address = "10.4.0.1";
        for (int i = 0; i < 8; i++) {
            login(TestUsers.uniqueHandle("spray"), "guess", address).then().statusCode(401);
        }
        String handle = TestUsers.newUser("innocent").handle();
        // refused before any password check, known handle or not
        assertEquals(0, passwordChecksOf(() ->
                login(handle, TestUsers.PASSWORD, address).then().statusCode(429).header("Retry-After", notNullValue())));
        assertEquals(0, passwordChecksOf(() -> login(TestUsers.uniqueHandle("spray"), "guess", address).then().statusCode(429)));
        login(handle, TestUsers.PASSWORD, "10.4.0.2").then().statusCode(201);
    }

    @Test
    void loginInputIsValidated() {
        given().contentType(ContentType.JSON).body("{\"handle\":\"x\"}").post("/api/sessions")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("password"));
        given().contentType(ContentType.JSON).body("[]").post("/api/sessions").then().statusCode(400);
        given().contentType(ContentType.TEXT).body("handle=x").post("/api/sessions").then().statusCode(415)
                .contentType("application/problem+json");
    }
}
