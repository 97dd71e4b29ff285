package io.presence.user;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.app.AppRegistry;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventCodec;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.testing.Problems;
import io.presence.common.testing.Race;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.config.UserConfig;
import io.presence.user.repository.LoginThrottle;
import io.presence.user.repository.SessionStore;
import io.presence.user.service.PasswordHasher;
import io.presence.user.service.SessionSweeper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
        return config.keyPrefix() + ":session:v2:" + hash;
    }

    @Test
    void onlyAHashOfTheTokenIsStoredAndItsExpirySlidesOnUse() throws Exception {
        TestUsers.User ana = TestUsers.newUser("slide");
        String key = sessionKey(ana.token());
        assertEquals(ana.id(), redis.hash(String.class).hget(key, "account"));
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

    /** The sum of the login throttle's refusal counters, over every limit. */
    private double loginRefusals() {
        return metrics.find(LoginThrottle.REFUSALS).counters().stream().mapToDouble(Counter::count).sum();
    }

    private long attempts(String counter) {
        String count = redis.value(String.class).get(config.keyPrefix() + ":login-attempts:" + counter);
        return count == null ? 0 : Long.parseLong(count);
    }

    @Test
    void twentyParallelWrongLoginsAreCountedAsTwentyBeforeAnyIsChecked() throws Exception {
        // issue 26: the throttle counted after the ~100 ms check, so 20 guesses sent at once were all checked
        String handle = TestUsers.newUser("parallel").handle();
        String address = "10.26.0.1";
        double checksBefore = metrics.get(PasswordHasher.CHECKS).counter().count();
        double refusalsBefore = loginRefusals();
        Map<Integer, Long> answers = Race.run(20, () -> login(handle, "guess", address));
        long checked = Math.round(metrics.get(PasswordHasher.CHECKS).counter().count() - checksBefore);
        assertEquals(20, attempts("handle-address:" + handle + ":" + address), "every attempt counted, refused or not");
        assertEquals(20, attempts("address:" + address));
        assertEquals(20, attempts("handle:" + handle));
        // at most the per-handle-and-address limit (5) reach bcrypt, and each of those is a 401, the rest 429
        assertTrue(checked >= 1 && checked <= 5, "password checks: " + checked);
        assertEquals(Map.of(401, checked, 429, 20 - checked), answers);
        assertEquals(20 - checked, loginRefusals() - refusalsBefore, "refusals are counted in " + LoginThrottle.REFUSALS);
        // locked: the right password is refused too, unchecked, with the time left of the 15 min window
        Response locked = login(handle, TestUsers.PASSWORD, address);
        Problems.assertProblem(locked, 429, "rate-limited");
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 800 && retryAfter <= 900, "Retry-After " + retryAfter);
    }

    @Test
    void aBurstOfLoginsBeyondTheRedisPoolIsAnsweredNot500() throws Exception {
        // 60 at once (the Redis client's defaults queue 30), each from an address and for a handle of its own: no
        // limit applies, every one is a 401
        AtomicInteger next = new AtomicInteger();
        Map<Integer, Long> answers = Race.run(60, () -> {
            int n = next.incrementAndGet();
            return login(TestUsers.uniqueHandle("burst"), "guess", "10.26.6." + n);
        });
        assertEquals(Map.of(401, 60L), answers);
    }

    @Test
    void ipv6IsCountedByItsSlash64AndMappedIpv4AsIpv4() {
        String handle = TestUsers.newUser("six").handle();
        // five addresses of one /64 are one client: the fifth failure closes the handle to the whole /64
        for (int i = 1; i <= 5; i++) {
            login(handle, "guess", "2001:db8:26:1::" + i).then().statusCode(401);
        }
        Problems.assertProblem(login(handle, TestUsers.PASSWORD, "2001:db8:26:1:ffff:ffff:ffff:ffff"), 429, "rate-limited");
        login(handle, TestUsers.PASSWORD, "2001:db8:26:2::1").then().statusCode(201); // the next /64 is someone else

        String other = TestUsers.newUser("mapped").handle();
        for (int i = 0; i < 5; i++) {
            login(other, "guess", i % 2 == 0 ? "::ffff:10.26.1.1" : "10.26.1.1").then().statusCode(401);
        }
        Problems.assertProblem(login(other, TestUsers.PASSWORD, "10.26.1.1"), 429, "rate-limited");
        login(other, TestUsers.PASSWORD, "10.26.1.2").then().statusCode(201);
    }

    @Test
    void aKnownAddressIsNotLockedOutByAFloodFromElsewhereNorByItsOwnAddressCount() throws Exception {
        String owner = TestUsers.newUser("known").handle();
        login(owner, TestUsers.PASSWORD, "2001:db8:26:9::1").then().statusCode(201); // known: its whole /64
        // a flood on the handle from elsewhere: the handle is closed to every address it never logged in from
        Race.run(20, () -> login(owner, "guess", "10.26.2.1"));
        Problems.assertProblem(login(owner, TestUsers.PASSWORD, "10.26.2.2"), 429, "rate-limited");
        // the known /64 sprays guesses at other handles until its own address limit (8) stops it there
        String known = "2001:db8:26:9::77";
        for (int i = 0; i < 8; i++) {
            login(TestUsers.uniqueHandle("other"), "guess", known).then().statusCode(401);
        }
        Problems.assertProblem(login(TestUsers.uniqueHandle("other"), "guess", known), 429, "rate-limited");
        // yet on the owner's handle neither the handle's nor the address's lock applies to it
        login(owner, TestUsers.PASSWORD, "2001:db8:26:9::2").then().statusCode(201);
        // and it still cannot guess anyone else's password
        assertEquals(0, passwordChecksOf(() ->
                Problems.assertProblem(login(TestUsers.uniqueHandle("other"), "guess", known), 429, "rate-limited")));
    }

    @Test
    void aSuccessfulLoginForgivesThatAddresssFailuresOnThatHandle() {
        String handle = TestUsers.newUser("forgiven").handle();
        String address = "10.26.3.1";
        for (int i = 0; i < 4; i++) {
            login(handle, "typo " + i, address).then().statusCode(401);
        }
        login(handle, TestUsers.PASSWORD, address).then().statusCode(201);
        assertEquals(0, attempts("handle-address:" + handle + ":" + address));
        assertEquals(4, attempts("address:" + address), "the successful attempt is given back, the failures stay");
        for (int i = 0; i < 4; i++) {
            login(handle, "typo " + i, address).then().statusCode(401);
        }
        // 8 failures from the address now: its limit (%test.users.login.max-failures-per-address=8)...
        Problems.assertProblem(login(TestUsers.uniqueHandle("other"), "guess", address), 429, "rate-limited");
        // ...which no longer applies to the handle it logged in to
        login(handle, TestUsers.PASSWORD, address).then().statusCode(201);
    }

    @Inject
    PresenceStoreConfig store;

    @Inject
    AppRegistry apps;

    /** The CloseSockets commands user-service publishes to the gateways while {@code steps} run, in order. */
    private List<ControlCommand.CloseSockets> closeCommandsOf(int expected, Runnable steps) {
        List<ControlCommand.CloseSockets> heard = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(store.schema().control(), payload -> {
            if (EventCodec.decodeCommand(payload) instanceof ControlCommand.CloseSockets close) {
                heard.add(close);
            }
        });
        try {
            steps.run();
            await().atMost(WAIT).until(() -> heard.size() >= expected);
            return List.copyOf(heard);
        } finally {
            subscriber.unsubscribe();
        }
    }

    private static void authorize(String token, String socketId) {
        given().header("Authorization", "Bearer " + token).formParam("socket_id", socketId)
                .formParam("channel_name", "presence-lobby").post("/pusher/auth").then().statusCode(200);
    }

    private static void signIn(String token, String socketId) {
        given().header("Authorization", "Bearer " + token).formParam("socket_id", socketId)
                .post("/pusher/user-auth").then().statusCode(200);
    }

    private ControlCommand.CloseSockets closing(String... socketIds) {
        return new ControlCommand.CloseSockets(apps.mainId(), List.of(socketIds));
    }

    private static ControlCommand.CloseSockets sorted(ControlCommand.CloseSockets c) {
        return new ControlCommand.CloseSockets(c.appId(), c.socketIds().stream().sorted().toList());
    }

    @Test
    void logoutClosesTheSocketsOfThatSessionOnlyAndLogoutEverywhereTheRest() {
        TestUsers.User ana = TestUsers.newUser("sockets");
        String other = TestUsers.login(ana.handle());
        authorize(ana.token(), "11.1");
        authorize(ana.token(), "11.1"); // the same socket again (another channel): counted once
        signIn(ana.token(), "11.2");
        authorize(other, "22.1");
        // the second command is the barrier: the first names exactly the sockets of the session that logged out
        List<ControlCommand.CloseSockets> heard = closeCommandsOf(2, () -> {
            ana.as().delete("/api/sessions/current").then().statusCode(204);
            given().header("Authorization", "Bearer " + other).delete("/api/sessions").then().statusCode(204);
        });
        assertEquals(List.of(closing("11.1", "11.2"), closing("22.1")), heard.stream().map(SessionResourceTest::sorted).toList());
    }

    @Test
    void passwordChangeEndsTheOtherSessionsAndClosesTheirSockets() {
        TestUsers.User ana = TestUsers.newUser("passwd");
        String other = TestUsers.login(ana.handle());
        authorize(ana.token(), "33.1");
        authorize(other, "44.1");
        signIn(other, "44.2");
        ana.as().body("{\"currentPassword\":\"wrong password\",\"newPassword\":\"a new long password\"}")
                .put("/api/users/me/password").then().statusCode(403).contentType("application/problem+json");
        ana.as().body("{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"short\"}")
                .put("/api/users/me/password").then().statusCode(400);
        given().header("Authorization", "Bearer " + other).get("/api/sessions/me").then().statusCode(200);

        List<ControlCommand.CloseSockets> heard = closeCommandsOf(2, () -> {
            ana.as().body("{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"a new long password\"}")
                    .put("/api/users/me/password").then().statusCode(204);
            ana.as().delete("/api/sessions/current").then().statusCode(204); // the barrier
        });
        assertEquals(List.of(closing("44.1", "44.2"), closing("33.1")), heard.stream().map(SessionResourceTest::sorted).toList());
        given().header("Authorization", "Bearer " + other).get("/api/sessions/me").then().statusCode(401);
        login(ana.handle(), TestUsers.PASSWORD, "10.7.0.1").then().statusCode(401);
        login(ana.handle(), "a new long password", "10.7.0.1").then().statusCode(201);
    }

    @Test
    void passwordChangesAreBudgetedPerAccountBeforeThePasswordIsChecked() {
        TestUsers.User ana = TestUsers.newUser("guess");
        String wrong = "{\"currentPassword\":\"a guess\",\"newPassword\":\"a new long password\"}";
        for (int i = 0; i < 5; i++) { // budgets.password-change.limit=5
            ana.as().body(wrong).put("/api/users/me/password").then().statusCode(403);
        }
        // the sixth is refused before any check, even with the right password
        Response[] refused = new Response[1];
        assertEquals(0, passwordChecksOf(() -> refused[0] = ana.as()
                .body("{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"a new long password\"}")
                .put("/api/users/me/password")));
        Problems.assertProblem(refused[0], 429, "rate-limited");
        refused[0].then().header("Retry-After", notNullValue());
        login(ana.handle(), TestUsers.PASSWORD, "10.7.1.1").then().statusCode(201);
    }

    @Test
    void deletingTheAccountClosesTheSocketsOfAllItsSessions() {
        TestUsers.User ana = TestUsers.newUser("deleted");
        String other = TestUsers.login(ana.handle());
        authorize(ana.token(), "55.1");
        signIn(other, "55.2");
        List<ControlCommand.CloseSockets> heard = closeCommandsOf(1, () -> ana.as().delete("/api/users/me").then().statusCode(204));
        assertEquals(List.of(closing("55.1", "55.2")), heard.stream().map(SessionResourceTest::sorted).toList());
        given().header("Authorization", "Bearer " + other).get("/api/sessions/me").then().statusCode(401);
    }

    @Test
    void aSessionAuthorizesAtMostMaxSocketsEachCountedOnce() {
        TestUsers.User ana = TestUsers.newUser("many");
        int max = config.session().maxSockets(); // %test: 5
        for (int i = 0; i < max; i++) {
            authorize(ana.token(), "66." + i);
        }
        authorize(ana.token(), "66.0"); // one it has: still fine
        Problems.assertProblem(given().header("Authorization", "Bearer " + ana.token()).formParam("socket_id", "66.99")
                .post("/pusher/user-auth"), 403, "forbidden");
        Problems.assertProblem(given().header("Authorization", "Bearer " + ana.token()).formParam("socket_id", "66.99")
                .formParam("channel_name", "presence-lobby").post("/pusher/auth"), 403, "forbidden");
    }

    @Test
    void aSessionPastItsLifetimeIsGoneHoweverRecentlyUsed() throws Exception {
        TestUsers.User ana = TestUsers.newUser("old");
        String key = sessionKey(ana.token());
        long now = System.currentTimeMillis();
        long lifetime = config.session().lifetime().toMillis();
        // created a minute short of its lifetime: still valid, and its expiry slides no further than the lifetime
        redis.hash(String.class).hset(key, "created", Long.toString(now - lifetime + 60_000));
        ana.as().get("/api/sessions/me").then().statusCode(200);
        long validFor = Long.parseLong(redis.hash(String.class).hget(key, "expires")) - System.currentTimeMillis();
        assertTrue(validFor > 0 && validFor <= 60_000, "expires with its lifetime, not after the sliding TTL: " + validFor);
        long kept = redis.key().pttl(key);
        assertTrue(kept <= 60_000 + SessionStore.GRACE.toMillis(), "kept for the sweeper no longer than the grace: " + kept);
        // past its lifetime: refused and removed, although it was just used
        redis.hash(String.class).hset(key, "created", Long.toString(now - lifetime - 1));
        ana.as().get("/api/sessions/me").then().statusCode(401);
        assertFalse(redis.key().exists(key));
        given().header("Authorization", "Bearer " + ana.token()).formParam("socket_id", "77.1")
                .formParam("channel_name", "presence-lobby").post("/pusher/auth").then().statusCode(401);
    }

    @Test
    void aFreshSessionLivesTheSlidingTtlAndRecordsItsCreation() throws Exception {
        TestUsers.User ana = TestUsers.newUser("fresh");
        String key = sessionKey(ana.token());
        long created = Long.parseLong(redis.hash(String.class).hget(key, "created"));
        assertTrue(Math.abs(System.currentTimeMillis() - created) < 60_000, "creation time in ms: " + created);
        long ttl = Long.parseLong(redis.hash(String.class).hget(key, "expires")) - created;
        assertTrue(ttl > config.session().ttl().toMillis() - 60_000 && ttl <= config.session().ttl().toMillis(), "ttl " + ttl);
        long kept = redis.key().pttl(key);
        assertTrue(kept > ttl && kept <= ttl + SessionStore.GRACE.toMillis(), "kept the grace longer for the sweeper: " + kept);
    }

    @Inject
    SessionSweeper sweeper;

    @Test
    void aSessionThatExpiresUnusedHasItsSocketsClosedByTheSweeper() throws Exception {
        TestUsers.User ana = TestUsers.newUser("idle");
        TestUsers.User bob = TestUsers.newUser("busy");
        String key = sessionKey(ana.token());
        String bobsKey = sessionKey(bob.token());
        String bobsHash = bobsKey.substring(bobsKey.lastIndexOf(':') + 1);
        String deadlines = config.keyPrefix() + ":session-deadlines";
        authorize(ana.token(), "88.1");
        signIn(ana.token(), "88.2");
        authorize(bob.token(), "88.3");
        // ana's session runs out while nobody uses it; bob's lives on. Then bob logs out: his command is the barrier,
        // so ana's must have come first and alone
        List<ControlCommand.CloseSockets> heard = closeCommandsOf(2, () -> {
            long past = System.currentTimeMillis() - 1;
            redis.hash(String.class).hset(key, "expires", Long.toString(past));
            // an expiry only ever slides later, so the sweeper's list holds it no later than it is: as here
            redis.sortedSet(String.class).zadd(deadlines, past, key.substring(key.lastIndexOf(':') + 1));
            // bob's was listed with an expiry that has since slid later: the sweeper lists it again, and leaves it
            redis.sortedSet(String.class).zadd(deadlines, past, bobsHash);
            sweeper.sweep();
            assertEquals(Double.parseDouble(redis.hash(String.class).hget(bobsKey, "expires")),
                    redis.sortedSet(String.class).zscore(deadlines, bobsHash).getAsDouble(), "listed again with its expiry");
            bob.as().delete("/api/sessions/current").then().statusCode(204);
        });
        assertEquals(List.of(closing("88.1", "88.2"), closing("88.3")), heard.stream().map(SessionResourceTest::sorted).toList());
        assertFalse(redis.key().exists(key), "the expired session is gone");
        given().header("Authorization", "Bearer " + ana.token()).get("/api/sessions/me").then().statusCode(401);
    }

    @Test
    void anExpiredSessionUsedAgainIsEndedAtOnceAndItsSocketsClosed() throws Exception {
        TestUsers.User ana = TestUsers.newUser("late");
        String key = sessionKey(ana.token());
        authorize(ana.token(), "89.1");
        List<ControlCommand.CloseSockets> heard = closeCommandsOf(1, () -> {
            redis.hash(String.class).hset(key, "expires", Long.toString(System.currentTimeMillis() - 1));
            ana.as().get("/api/sessions/me").then().statusCode(401);
        });
        assertEquals(List.of(closing("89.1")), heard.stream().map(SessionResourceTest::sorted).toList());
        given().header("Authorization", "Bearer " + ana.token()).formParam("socket_id", "89.2")
                .formParam("channel_name", "presence-lobby").post("/pusher/auth").then().statusCode(401);
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
