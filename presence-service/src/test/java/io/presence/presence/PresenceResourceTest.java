package io.presence.presence;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.presence.common.app.App;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppSnapshot;
import io.presence.common.event.EventCodec;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.pusher.PusherApp;
import io.presence.common.store.MemberState;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.store.UserStatus;
import io.presence.presence.service.StatusExpiry;
import io.presence.testsupport.FakeUserService;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The presence REST API: reads one and many users, status changes, channel members, and who may do what. */
@QuarkusTest
@WithTestResource(PresenceStores.class)
@WithTestResource(FakeUserService.class)
class PresenceResourceTest {

    private static final PusherApp APP = new PusherApp("app-id", "app-key", "app-secret");
    /** A ceiling only a real failure reaches, even on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RedisDataSource redis;

    @Inject
    UserPresenceStore users;

    @Inject
    ChannelPresence presence;

    @Inject
    PresenceStoreConfig config;

    @Inject
    StatusExpiry expiry;

    @Inject
    AppRegistry registry;

    @Inject
    io.vertx.mutiny.redis.client.Redis vertxRedis;

    private static String unique() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
    }

    private static RequestSpecification asUser(String id) {
        return given().header("Authorization", "Bearer user-" + id);
    }

    /** A request signed for the app, as a backend sends it. */
    private static Response signed(String method, String path, String body) {
        return signed(APP, method, path, body);
    }

    /** A request signed for an app, as its backend sends it. */
    private static Response signed(PusherApp app, String method, String path, String body) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        String query = app.signedQuery(method, path, Map.of(), bytes);
        RequestSpecification spec = given().urlEncodingEnabled(false);
        if (body != null) {
            spec = spec.contentType("application/json").body(bytes);
        }
        return spec.request(method, path + "?" + query);
    }

    private static MemberEvent member(String payload) {
        return (MemberEvent) EventCodec.decode(payload);
    }

    /** What user-service's mirror holds once the two accepted each other as contacts. */
    private void contacts(String a, String b) {
        redis.set(String.class).sadd(config.schema().contacts(APP.id(), a), b);
        redis.set(String.class).sadd(config.schema().contacts(APP.id(), b), a);
    }

    /** A user who may read {@code id}'s presence under the built-in app's contacts policy: a new contact of theirs. */
    private String contactOf(String id) {
        String viewer = unique();
        contacts(viewer, id);
        return viewer;
    }

    /** What a gateway does when the user joins a presence channel. */
    private void join(String channel, String connection, String user) {
        presence.join("app-id", channel, "gw-test", connection, user, JsonNodeFactory.instance.objectNode().put("name", user), null, 100)
                .await().atMost(WAIT);
    }

    @Test
    void aConnectedUserIsOnlineWithTheirStatus() {
        String id = unique();
        join("presence-x", "c1", id);
        asUser(id).contentType("application/json").body("{\"status\":\"busy\",\"text\":\"in a meeting\"}")
                .put("/api/presence/users/" + id + "/status")
                .then().statusCode(200)
                .body("status", equalTo("busy"))
                .body("text", equalTo("in a meeting"))
                .body("expiresAt", nullValue());
        asUser(contactOf(id)).get("/api/presence/users/" + id)
                .then().statusCode(200)
                .body("userId", equalTo(id))
                .body("online", equalTo(true))
                .body("status", equalTo("busy"))
                .body("text", equalTo("in a meeting"));
    }

    @Test
    void anotherAppsBackendNeitherReadsNorChangesTheBuiltInAppsUserOfTheSameId() {
        String id = unique();
        join("presence-tenants", "c1", id);
        asUser(id).contentType("application/json").body("{\"status\":\"busy\",\"text\":\"secret-of-app-A\"}")
                .put("/api/presence/users/" + id + "/status").then().statusCode(200);

        signed(PresenceStores.APP2, "GET", "/api/presence/users/" + id, null)
                .then().statusCode(200)
                .body("online", equalTo(false))
                .body("status", equalTo("offline"))
                .body("text", nullValue())
                .body("lastSeen", nullValue());
        signed(PresenceStores.APP2, "POST", "/api/presence/users/query", "{\"ids\":[\"" + id + "\"]}")
                .then().statusCode(200)
                .body("users[0].online", equalTo(false))
                .body("users[0].text", nullValue());
        signed(PresenceStores.APP2, "PUT", "/api/presence/users/" + id + "/status", "{\"status\":\"away\",\"text\":\"app2's\"}")
                .then().statusCode(200);

        signed("GET", "/api/presence/users/" + id, null)
                .then().statusCode(200)
                .body("online", equalTo(true))
                .body("status", equalTo("busy"))
                .body("text", equalTo("secret-of-app-A"));
        assertEquals("away", users.status(PresenceStores.APP2.id(), id).await().atMost(WAIT).status().wire(), "app2's user is another");
    }

    @Test
    void anUnknownUserIsOfflineAndNeverSeen() {
        signed("GET", "/api/presence/users/nobody", null)
                .then().statusCode(200)
                .body("online", equalTo(false))
                .body("status", equalTo("offline"))
                .body("lastSeen", nullValue());
    }

    @Test
    void theLastConnectionGoingRecordsLastSeenAndInvisibleLooksOffline() {
        String id = unique();
        String entry = PresenceSchema.nodeEntry("app-id", "presence-x", "c1");
        users.connect(APP.id(), id, entry, UserStatus.DEFAULT, 0).await().atMost(WAIT);
        users.disconnect(APP.id(), id, entry).await().atMost(WAIT);
        asUser(contactOf(id)).get("/api/presence/users/" + id)
                .then().statusCode(200)
                .body("online", equalTo(false))
                .body("lastSeen", notNullValue());

        String other = unique();
        users.connect(APP.id(), other, entry, UserStatus.DEFAULT, 0).await().atMost(WAIT);
        asUser(other).contentType("application/json").body("{\"status\":\"invisible\",\"text\":\"hiding\"}")
                .put("/api/presence/users/" + other + "/status").then().statusCode(200);
        asUser(contactOf(other)).get("/api/presence/users/" + other)
                .then().statusCode(200)
                .body("online", equalTo(false))
                .body("status", equalTo("offline"))
                .body("text", nullValue())
                .body("lastSeen", notNullValue());
    }

    @Test
    void aBatchAnswersInOrderOnceEach() {
        String a = unique();
        String b = unique();
        join("presence-batch", "c1", a);
        signed("POST", "/api/presence/users/query", "{\"ids\":[\"" + b + "\",\"" + a + "\",\"" + b + "\",42]}")
                .then().statusCode(200)
                .body("users.userId", equalTo(List.of(b, a, "42")))
                .body("users.online", equalTo(List.of(false, true, false)));

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("\"user" + i + "\"");
        }
        asUser(a).contentType("application/json").body("{\"ids\":[" + String.join(",", many) + "]}")
                .post("/api/presence/users/query")
                .then().statusCode(200).body("users.size()", equalTo(1000));
        many.add("\"one-too-many\"");
        asUser(a).contentType("application/json").body("{\"ids\":[" + String.join(",", many) + "]}")
                .post("/api/presence/users/query")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("1000"));
        for (String bad : new String[] {"{}", "{\"ids\":\"a\"}", "{\"ids\":[\"a b\"]}", "{\"ids\":[{}]}", "[1]", "not json"}) {
            asUser(a).contentType("application/json").body(bad).post("/api/presence/users/query")
                    .then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void aBlockedUserSeesTheBlockerOffline() {
        String blocker = unique();
        String blocked = unique();
        join("presence-blocks", "c1", blocker);
        redis.set(String.class).sadd(config.schema().blockers(APP.id(), blocked), blocker);
        asUser(blocked).get("/api/presence/users/" + blocker)
                .then().statusCode(200).body("online", equalTo(false)).body("lastSeen", nullValue());
        asUser(blocked).contentType("application/json").body("{\"ids\":[\"" + blocker + "\"]}").post("/api/presence/users/query")
                .then().statusCode(200).body("users[0].online", equalTo(false));
        asUser(contactOf(blocker)).get("/api/presence/users/" + blocker).then().statusCode(200).body("online", equalTo(true));
    }

    /** What the caller learns of a user: status, the headers that describe the body, and the body with the id made {@code ID}. */
    private static String answer(Response response, String id) {
        return response.statusCode() + " " + response.header("Content-Type") + " " + response.header("Content-Length") + " "
                + response.header("Cache-Control") + "\n" + response.asString().replace(id, "ID");
    }

    /** Online now with a status text, and seen before (a last seen recorded). */
    private void onlineWithHistory(String user, String channel) {
        String entry = PresenceSchema.nodeEntry(APP.id(), channel, "before-" + user);
        users.connect(APP.id(), user, entry, UserStatus.DEFAULT, 0).await().atMost(WAIT);
        users.disconnect(APP.id(), user, entry).await().atMost(WAIT);
        join(channel, "c-" + user, user);
        asUser(user).contentType("application/json").body("{\"status\":\"busy\",\"text\":\"out\"}")
                .put("/api/presence/users/" + user + "/status").then().statusCode(200);
    }

    @Test
    void aStrangerABlockerAndAMissingUserAnswerTheSameBytes() {
        String me = unique();
        String stranger = unique();
        String blocker = unique();
        String missing = unique();
        String channel = "presence-identical-" + UUID.randomUUID();
        onlineWithHistory(stranger, channel);
        onlineWithHistory(blocker, channel);
        redis.set(String.class).sadd(config.schema().blockers(APP.id(), me), blocker);
        // they are there to be seen: a contact of each sees them online, with the text and a last seen
        for (String shown : List.of(stranger, blocker)) {
            asUser(contactOf(shown)).get("/api/presence/users/" + shown).then().statusCode(200)
                    .body("online", equalTo(true)).body("text", equalTo("out")).body("lastSeen", notNullValue());
        }

        String expected = answer(asUser(me).get("/api/presence/users/" + missing), missing);
        assertTrue(expected.startsWith("200 application/json"), expected);
        assertTrue(expected.contains("\"online\":false") && expected.contains("\"lastSeen\":null"), expected);
        for (String id : List.of(stranger, blocker)) {
            assertEquals(expected, answer(asUser(me).get("/api/presence/users/" + id), id), "GET of " + id);
        }
        String expectedQuery = answer(asUser(me).contentType("application/json").body("{\"ids\":[\"" + missing + "\"]}")
                .post("/api/presence/users/query"), missing);
        for (String id : List.of(stranger, blocker)) {
            assertEquals(expectedQuery, answer(asUser(me).contentType("application/json").body("{\"ids\":[\"" + id + "\"]}")
                    .post("/api/presence/users/query"), id), "query of " + id);
        }
        Response all = asUser(me).contentType("application/json")
                .body("{\"ids\":[\"" + stranger + "\",\"" + blocker + "\",\"" + missing + "\"]}").post("/api/presence/users/query");
        List<Map<String, Object>> entries = all.jsonPath().getList("users");
        assertEquals(3, entries.size());
        for (Map<String, Object> entry : entries) {
            assertEquals(Arrays.asList(false, "offline", null, null),
                    Arrays.asList(entry.get("online"), entry.get("status"), entry.get("text"), entry.get("lastSeen")), entry.toString());
        }
    }

    @Test
    void aContactARoomMateAndAChannelNeighbourAreSeenUntilTheRelationEnds() {
        String me = unique();
        String contact = unique();
        String mate = unique();
        String neighbour = unique();
        String shared = "presence-shared-" + UUID.randomUUID();
        for (String other : List.of(contact, mate)) {
            join("presence-own-" + UUID.randomUUID(), "c-" + other, other);
        }
        join(shared, "c-" + neighbour, neighbour);
        join(shared, "c-" + me, me);
        contacts(me, contact);
        redis.set(String.class).sadd(config.schema().rooms(APP.id(), me), "41", "42");
        redis.set(String.class).sadd(config.schema().rooms(APP.id(), mate), "42");
        String body = "{\"ids\":[\"" + contact + "\",\"" + mate + "\",\"" + neighbour + "\"]}";
        asUser(me).contentType("application/json").body(body).post("/api/presence/users/query")
                .then().statusCode(200).body("users.online", equalTo(List.of(true, true, true)));
        // the most a query asks, from a caller with rooms and a channel: every id checked against both
        List<String> many = new ArrayList<>(List.of("\"" + mate + "\""));
        for (int i = 1; i < 1000; i++) {
            many.add("\"other" + i + "\"");
        }
        asUser(me).contentType("application/json").body("{\"ids\":[" + String.join(",", many) + "]}").post("/api/presence/users/query")
                .then().statusCode(200).body("users.size()", equalTo(1000)).body("users[0].online", equalTo(true))
                .body("users.findAll { it.online }.size()", equalTo(1));

        // the contact removed, the room left, the channel left (as user-service, message-service and the gateway record it)
        redis.set(String.class).srem(config.schema().contacts(APP.id(), me), contact);
        redis.set(String.class).srem(config.schema().rooms(APP.id(), mate), "42");
        presence.leave(APP.id(), shared, "gw-test", "c-" + me, me).await().atMost(WAIT);
        asUser(me).contentType("application/json").body(body).post("/api/presence/users/query")
                .then().statusCode(200).body("users.online", equalTo(List.of(false, false, false)));
    }

    @Test
    void underEveryoneStrangersAreSeenButNotBlockers() {
        String stranger = unique();
        String blocker = unique();
        String me = unique();
        join("presence-everyone", "c-" + stranger, stranger);
        join("presence-everyone", "c-" + blocker, blocker);
        redis.set(String.class).sadd(config.schema().blockers(APP.id(), me), blocker);
        try {
            useMainAppVisibility(App.VISIBILITY_EVERYONE);
            asUser(me).contentType("application/json").body("{\"ids\":[\"" + stranger + "\",\"" + blocker + "\"]}")
                    .post("/api/presence/users/query")
                    .then().statusCode(200).body("users.online", equalTo(List.of(true, false)));
        } finally {
            useMainAppVisibility(App.VISIBILITY_CONTACTS);
        }
        asUser(me).get("/api/presence/users/" + stranger).then().statusCode(200).body("online", equalTo(false));
    }

    /** Publishes an app store whose built-in app has this visibility, as user-service does after a change, and loads it. */
    private void useMainAppVisibility(String visibility) {
        List<App> apps = registry.configured().stream()
                .map(a -> !a.id().equals(APP.id()) ? a : new App(a.id(), a.key(), a.secret(), null, null, true, a.limits(),
                        a.webhooks(), a.encryptionMasterKey(), visibility))
                .toList();
        long version = AppSnapshot.storedVersion(vertxRedis, config.schema()).await().atMost(WAIT).orElse(0L) + 1;
        new AppSnapshot(version, apps).publish(vertxRedis, config.schema()).await().atMost(WAIT);
        registry.reload();
        assertEquals(visibility, registry.main().presenceVisibility());
    }

    @Test
    void presenceReadsHaveABudgetPerCallerCountedInIds() {
        String me = unique();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add("\"budget" + i + "\"");
        }
        String thousand = "{\"ids\":[" + String.join(",", ids) + "]}";
        // test profile: 6,000 ids per 100 h, so none comes back during the test
        for (int i = 0; i < 5; i++) {
            asUser(me).contentType("application/json").body(thousand).post("/api/presence/users/query").then().statusCode(200);
        }
        asUser(me).contentType("application/json").body("{\"ids\":[" + String.join(",", ids.subList(0, 999)) + "]}")
                .post("/api/presence/users/query").then().statusCode(200);
        asUser(me).get("/api/presence/users/budget0").then().statusCode(200);
        asUser(me).get("/api/presence/users/budget0")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:rate-limited"))
                .header("Retry-After", notNullValue());
        asUser(me).contentType("application/json").body("{\"ids\":[\"budget0\"]}").post("/api/presence/users/query")
                .then().statusCode(429).contentType("application/problem+json");
        // another caller has their own budget; a backend (the app's own servers) has none here
        asUser(unique()).contentType("application/json").body(thousand).post("/api/presence/users/query").then().statusCode(200);
        signed("POST", "/api/presence/users/query", thousand).then().statusCode(200);
    }

    @Test
    void onlyTheUserOrABackendChangesAStatus() {
        String id = unique();
        asUser(unique()).contentType("application/json").body("{\"status\":\"away\"}")
                .put("/api/presence/users/" + id + "/status")
                .then().statusCode(403).contentType("application/problem+json");
        given().contentType("application/json").body("{\"status\":\"away\"}")
                .put("/api/presence/users/" + id + "/status")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer nonsense").get("/api/presence/users/" + id)
                .then().statusCode(401).contentType("application/problem+json");
        String body = "{\"status\":\"away\",\"expiresIn\":3600}";
        signed("PUT", "/api/presence/users/" + id + "/status", body)
                .then().statusCode(200).body("status", equalTo("away")).body("expiresAt", notNullValue());
        // a signature for another body is refused
        String query = APP.signedQuery("PUT", "/api/presence/users/" + id + "/status", Map.of(),
                "{\"status\":\"busy\"}".getBytes(StandardCharsets.UTF_8));
        given().urlEncodingEnabled(false).contentType("application/json").body(body)
                .put("/api/presence/users/" + id + "/status?" + query)
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void badStatusChangesAreRefusedWithTheReason() {
        String id = unique();
        Map<String, String> cases = Map.of(
                "{\"status\":\"dancing\",\"text\":\"x\"}", "online, away, busy, invisible",
                "{\"text\":\"" + "x".repeat(101) + "\"}", "100",
                "{\"status\":\"away\",\"expiresAt\":1000}", "future",
                "{\"status\":\"away\",\"expiresIn\":-5}", "positive",
                "{}", "nothing to change",
                "{\"status\":7}", "string");
        cases.forEach((body, reason) -> asUser(id).contentType("application/json").body(body)
                .put("/api/presence/users/" + id + "/status")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString(reason)));
        asUser(id).contentType("application/json").body("nope").put("/api/presence/users/" + id + "/status")
                .then().statusCode(400).contentType("application/problem+json");
        asUser(id).get("/api/presence/users/a%20b")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:presence:problem:validation"));
    }

    @Test
    void userServiceDownIsA503() {
        given().header("Authorization", "Bearer broken").get("/api/presence/users/x")
                .then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void anExpiredStatusReturnsToOnlineAndIsAnnounced() {
        String id = unique();
        String channel = "presence-expiry-" + UUID.randomUUID();
        join(channel, "c1", id);
        List<String> heard = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class)
                .subscribe(config.schema().busChannel("app-id", channel), heard::add);
        try {
            // the shortest expiry the API takes, counted by the server from when it gets the request
            asUser(id).contentType("application/json").body("{\"status\":\"busy\",\"text\":\"call\",\"expiresIn\":1}")
                    .put("/api/presence/users/" + id + "/status").then().statusCode(200);
            await().atMost(WAIT).until(() -> heard.size() == 1);
            assertEquals("busy", member(heard.get(0)).state().status().status().wire());
            // the scheduled pass (every second) or this one returns it to online once the second is over
            await().atMost(WAIT).untilAsserted(() -> {
                expiry.expire();
                assertEquals(2, heard.size(), heard.toString());
            });
            MemberEvent back = member(heard.get(1));
            assertEquals(UserStatus.DEFAULT, back.state().status());
            assertTrue(back.seq() > member(heard.get(0)).seq());
            asUser(id).get("/api/presence/users/" + id).then().statusCode(200).body("status", equalTo("online")).body("text", nullValue());
            MemberState stored = presence.state("app-id", channel, true, null).await().atMost(WAIT).members().get(id);
            assertEquals(UserStatus.DEFAULT, stored.status());
            assertEquals(id, stored.userInfo().get("name").asText());
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void theRepeatedPassTakesADueExpiryWithoutACall() {
        String queue = config.schema().statusExpiry();
        String member = PresenceSchema.appUser(APP.id(), unique());
        redis.execute("ZADD", queue, Long.toString(System.currentTimeMillis() - 1000), member);
        // nobody calls expire() here: the pass Passes repeats every second takes it
        await().atMost(WAIT).untilAsserted(() -> assertTrue(redis.sortedSet(String.class).zscore(queue, member).isEmpty(),
                "the status-expiry pass takes it off the queue"));
    }

    @Test
    void aChoiceMadeAfterAnExpiringStatusSurvivesItsExpiry() {
        String id = unique();
        asUser(id).contentType("application/json").body("{\"status\":\"busy\",\"expiresIn\":3600}")
                .put("/api/presence/users/" + id + "/status").then().statusCode(200);
        presence.setStatus(APP.id(), id, new UserStatus(io.presence.common.store.Status.AWAY, "", 0), null).await().atMost(WAIT);
        // the old expiry may still be queued if setStatus lost a race with it: queue one that is due already
        String queue = config.schema().statusExpiry();
        String member = PresenceSchema.appUser(APP.id(), id);
        redis.execute("ZADD", queue, Long.toString(System.currentTimeMillis() - 1000), member);
        // passes take turns, so once this one is over the entry was handled, by it or by a scheduled one
        expiry.expire();
        assertTrue(redis.sortedSet(String.class).zscore(queue, member).isEmpty(), "the due expiry was taken off the queue");
        assertEquals("away", users.status(APP.id(), id).await().atMost(WAIT).status().wire());
    }

    @Test
    void channelMembersAreForBackendsAndLeaveInvisibleOnesOut() {
        String channel = "presence-members-" + UUID.randomUUID();
        String a = unique();
        String b = unique();
        join(channel, "c1", a);
        join(channel, "c2", b);
        presence.setStatus(APP.id(), b, new UserStatus(io.presence.common.store.Status.INVISIBLE, "", 0), null).await().atMost(WAIT);
        signed("GET", "/api/presence/channels/" + channel + "/members", null)
                .then().statusCode(200)
                .body("count", equalTo(1))
                .body("members[0].id", equalTo(a))
                .body("members[0].userInfo.status", equalTo("online"));
        asUser(a).get("/api/presence/channels/" + channel + "/members")
                .then().statusCode(403).contentType("application/problem+json");
        signed("GET", "/api/presence/channels/private-x/members", null)
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void readinessChecksRedis() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Redis connection health check"));
    }
}
