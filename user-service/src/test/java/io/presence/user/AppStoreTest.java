package io.presence.user;

import static io.presence.common.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppRegistry;
import io.presence.common.app.AppSnapshot;
import io.presence.common.app.AppsConfig;
import io.presence.common.pusher.PusherConfig;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.testsupport.FakeMessageService;
import io.presence.user.repository.AppRepository;
import io.presence.user.service.AppStoreSync;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The app store: its internal API, bad input named by field, conflicts, publishing to Redis and the seeding of configured apps. */
@QuarkusTest
@WithTestResource(UserStores.class)
@WithTestResource(FakeMessageService.class)
class AppStoreTest {

    private static final Duration CEILING = Duration.ofSeconds(30);
    private static final String KEY32 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Inject
    Redis redis;
    @Inject
    PresenceStoreConfig store;
    @Inject
    AppsConfig appsConfig;
    @Inject
    PusherConfig pusher;
    @Inject
    AppStoreSync sync;
    @Inject
    AppRepository repository;

    private static RequestSpecification api() {
        return TestUsers.service().contentType(ContentType.JSON);
    }

    private static String newId() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long storedVersion() {
        return AppSnapshot.storedVersion(redis, store.schema()).await().atMost(Duration.ofSeconds(5)).orElse(-1L);
    }

    private long dbVersion() {
        return QuarkusTransaction.requiringNew().call(repository::lockedVersion);
    }

    /** Waits until Redis holds the store's version and a registry on the same prefix has it in use. */
    private AppRegistry awaitPublished() {
        long version = dbVersion();
        AppRegistry registry = new AppRegistry(redis, store, appsConfig, pusher);
        Awaitility.await().atMost(CEILING).pollInterval(Duration.ofMillis(100)).until(() -> {
            registry.reload();
            return storedVersion() == version && registry.version() == version;
        });
        return registry;
    }

    @Test
    void createPatchRotateAndDeleteReachEveryRegistry() {
        String id = newId();
        String secret = api().body("{\"id\":\"" + id + "\",\"maxConnections\":5,\"webhooks\":[{\"url\":\"https://example.com/hook\","
                        + "\"event_types\":[\"member_added\"]}],\"encryptionMasterKey\":\"" + KEY32 + "\",\"presenceVisibility\":\"contacts\"}")
                .post("/internal/apps").then().statusCode(201)
                .body("id", equalTo(id))
                .body("key", matchesPattern("[0-9a-f]{20}"))
                .body("secret", matchesPattern("[A-Za-z0-9_-]{32,}"))
                .body("maxConnections", equalTo(5))
                .body("maxEventBatchSize", nullValue())
                .body("resumeWindowSeconds", nullValue())
                .body("enabled", equalTo(true))
                .body("webhooks[0].event_types", hasItem("member_added"))
                .body("presenceVisibility", equalTo("contacts"))
                .body("any { it.key == 'previousSecret' }", equalTo(false))
                .extract().path("secret");
        AppRegistry registry = awaitPublished();
        App seen = registry.byId(id).orElseThrow();
        assertEquals(secret, seen.secret());
        assertEquals(5, seen.limits().maxConnections());
        assertEquals(appsConfig.defaults().maxEventBatchSize(), seen.limits().maxEventBatchSize(), "defaults filled in");
        assertEquals(List.of("https://example.com/hook"), seen.webhookUrls("member_added"));

        api().get("/internal/apps/" + id).then().statusCode(200).body("secret", nullValue()).body("maxConnections", equalTo(5));
        api().get("/internal/apps").then().statusCode(200).body("id", hasItem(id)).body("find { it.id == '" + id + "' }.secret", nullValue());

        long before = dbVersion();
        api().body("{\"enabled\":false,\"maxConnections\":null,\"maxEventPayloadInKb\":2.5}").patch("/internal/apps/" + id)
                .then().statusCode(200).body("enabled", equalTo(false)).body("maxConnections", nullValue())
                .body("maxEventPayloadInKb", equalTo(2.5f)).body("presenceVisibility", equalTo("contacts"));
        registry = awaitPublished();
        assertTrue(dbVersion() > before);
        assertFalse(registry.byId(id).orElseThrow().enabled());
        assertEquals(appsConfig.defaults().maxConnections(), registry.byId(id).orElseThrow().limits().maxConnections());

        long unchanged = dbVersion();
        api().body("{\"enabled\":false}").patch("/internal/apps/" + id).then().statusCode(200);
        assertEquals(unchanged, dbVersion(), "a patch that changes nothing keeps the version");

        String rotated = api().post("/internal/apps/" + id + "/secret").then().statusCode(200)
                .body("previousSecretUntil", notNullValue()).extract().path("secret");
        assertFalse(rotated.equals(secret));
        registry = awaitPublished();
        App now = registry.byId(id).orElseThrow();
        assertEquals(rotated, now.secret());
        assertEquals(secret, now.previousSecret());
        long grace = now.previousSecretUntil() - System.currentTimeMillis();
        assertTrue(grace > appsConfig.secretGracePeriod().toMillis() - 60_000 && grace <= appsConfig.secretGracePeriod().toMillis(),
                "grace of " + grace + " ms");
        assertEquals(2, now.verifiers(System.currentTimeMillis()).size(), "both secrets are accepted during the grace");

        api().delete("/internal/apps/" + id).then().statusCode(204);
        registry = awaitPublished();
        assertTrue(registry.byId(id).isEmpty());
        assertProblem(api().get("/internal/apps/" + id), 404, "not-found");
        assertProblem(api().delete("/internal/apps/" + id), 404, "not-found");
        assertProblem(api().body("{}").patch("/internal/apps/" + id), 404, "not-found");
        assertProblem(api().post("/internal/apps/" + id + "/secret"), 404, "not-found");
    }

    @Test
    void aSoketiAppCanBePasted() {
        String id = newId();
        api().body("{\"id\":\"" + id + "\",\"key\":\"" + id + "-key\",\"secret\":\"a-secret-of-mine\",\"maxConnections\":-1,"
                        + "\"enableClientMessages\":false,\"enabled\":true,\"maxBackendEventsPerSecond\":-1,\"maxClientEventsPerSecond\":-1,"
                        + "\"maxReadRequestsPerSecond\":-1,\"webhooks\":[],\"maxPresenceMembersPerChannel\":100,"
                        + "\"maxPresenceMemberSizeInKb\":2,\"maxChannelNameLength\":200,\"maxEventChannelsAtOnce\":100,"
                        + "\"maxEventNameLength\":200,\"maxEventPayloadInKb\":100,\"maxEventBatchSize\":10,\"enableUserAuthentication\":false}")
                .post("/internal/apps").then().statusCode(201).body("key", equalTo(id + "-key")).body("secret", equalTo("a-secret-of-mine"))
                .body("maxPresenceMemberSizeInKb", equalTo(2.0f)).body("enableClientMessages", equalTo(false));
        api().delete("/internal/apps/" + id).then().statusCode(204);
    }

    @Test
    void badInputIsA400NamingTheField() {
        String id = newId();
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"id\":\"" + id + "\",\"maxAnything\":1}", "maxAnything");
        bad.put("{\"id\":\"" + id + "\",\"maxConnections\":-2}", "maxConnections");
        bad.put("{\"id\":\"" + id + "\",\"maxConnections\":\"10\"}", "maxConnections");
        bad.put("{\"id\":\"" + id + "\",\"maxConnections\":1.5}", "maxConnections");
        bad.put("{\"id\":\"" + id + "\",\"maxConnections\":99999999999}", "maxConnections");
        bad.put("{\"id\":\"" + id + "\",\"maxEventPayloadInKb\":-0.5}", "maxEventPayloadInKb");
        bad.put("{\"id\":\"" + id + "\",\"enableClientMessages\":\"yes\"}", "enableClientMessages");
        bad.put("{\"id\":\"" + id + "\",\"enabled\":null}", "enabled");
        bad.put("{\"id\":\"bad id\"}", "id");
        bad.put("{\"id\":\"" + "x".repeat(65) + "\"}", "id");
        bad.put("{\"id\":7}", "id");
        bad.put("{}", "id");
        bad.put("{\"id\":\"" + id + "\",\"key\":\"k/ey\"}", "key");
        bad.put("{\"id\":\"" + id + "\",\"secret\":\"short\"}", "secret");
        bad.put("{\"id\":\"" + id + "\",\"webhooks\":[{\"url\":\"ftp://example.com/x\"}]}", "webhooks[0].url");
        bad.put("{\"id\":\"" + id + "\",\"webhooks\":[{\"url\":\"not a url\"}]}", "webhooks[0].url");
        bad.put("{\"id\":\"" + id + "\",\"webhooks\":[{\"url\":\"https://e.com\",\"event_types\":[\"nope\"]}]}", "webhooks[0].event_types[0]");
        bad.put("{\"id\":\"" + id + "\",\"webhooks\":[{\"url\":\"https://e.com\",\"headers\":{}}]}", "webhooks[0].headers");
        bad.put("{\"id\":\"" + id + "\",\"webhooks\":{}}", "webhooks");
        bad.put("{\"id\":\"" + id + "\",\"encryptionMasterKey\":\"c2hvcnQ=\"}", "encryptionMasterKey");
        bad.put("{\"id\":\"" + id + "\",\"encryptionMasterKey\":\"%%%\"}", "encryptionMasterKey");
        bad.put("{\"id\":\"" + id + "\",\"presenceVisibility\":\"friends\"}", "presenceVisibility");
        bad.put("{\"id\":\"" + id + "\",\"previousSecret\":\"x\"}", "previousSecret");
        bad.put("{\"id\":\"" + id + "\",\"resumeWindowSeconds\":-1}", "resumeWindowSeconds");
        bad.put("{\"id\":\"" + id + "\",\"resumeWindowSeconds\":86401}", "resumeWindowSeconds");
        bad.put("{\"id\":\"" + id + "\",\"maxStoredEventsPerChannel\":0}", "maxStoredEventsPerChannel");
        bad.put("{\"id\":\"" + id + "\",\"maxStoredEventsPerChannel\":100001}", "maxStoredEventsPerChannel");
        bad.put("[]", "body");
        bad.forEach((body, field) -> assertProblem(api().body(body).post("/internal/apps"), 400, "validation", field));
        assertProblem(api().get("/internal/apps/" + id), 404, "not-found"); // nothing was created by any of them

        api().body("{\"id\":\"" + id + "\"}").post("/internal/apps").then().statusCode(201);
        assertProblem(api().body("{\"maxConnections\":-7}").patch("/internal/apps/" + id), 400, "validation", "maxConnections");
        assertProblem(api().body("{\"id\":\"other\"}").patch("/internal/apps/" + id), 400, "validation", "id");
        assertProblem(api().body("{\"unknown\":true}").patch("/internal/apps/" + id), 400, "validation", "unknown");
        api().delete("/internal/apps/" + id).then().statusCode(204);
    }

    @Test
    void theResumeSettingsAreStoredAndReachEveryRegistry() {
        String id = newId();
        api().body("{\"id\":\"" + id + "\",\"resumeWindowSeconds\":30,\"maxStoredEventsPerChannel\":200}").post("/internal/apps")
                .then().statusCode(201).body("resumeWindowSeconds", equalTo(30)).body("maxStoredEventsPerChannel", equalTo(200));
        api().body("{\"resumeWindowSeconds\":0}").patch("/internal/apps/" + id).then().statusCode(200)
                .body("resumeWindowSeconds", equalTo(0)).body("maxStoredEventsPerChannel", equalTo(200));
        App seen = awaitPublished().byId(id).orElseThrow();
        assertEquals(0, seen.limits().resumeWindowSeconds(), "0 turns resume off for the app");
        assertEquals(200, seen.limits().maxStoredEventsPerChannel());
        api().body("{\"resumeWindowSeconds\":null}").patch("/internal/apps/" + id).then().statusCode(200);
        assertEquals(appsConfig.defaults().resumeWindowSeconds(), awaitPublished().byId(id).orElseThrow().limits().resumeWindowSeconds(),
                "null is the deployment default again");
        api().delete("/internal/apps/" + id).then().statusCode(204);
    }

    @Test
    void duplicateIdsAndKeysAre409() {
        String a = newId();
        String b = newId();
        String keyA = api().body("{\"id\":\"" + a + "\"}").post("/internal/apps").then().statusCode(201).extract().path("key");
        api().body("{\"id\":\"" + b + "\"}").post("/internal/apps").then().statusCode(201);
        assertProblem(api().body("{\"id\":\"" + a + "\"}").post("/internal/apps"), 409, "conflict");
        assertProblem(api().body("{\"id\":\"" + newId() + "\",\"key\":\"" + keyA + "\"}").post("/internal/apps"), 409, "conflict");
        assertProblem(api().body("{\"key\":\"" + keyA + "\"}").patch("/internal/apps/" + b), 409, "conflict");
        assertProblem(api().body("{\"key\":\"" + pusher.key() + "\"}").patch("/internal/apps/" + b), 409, "conflict");
        api().delete("/internal/apps/" + a).then().statusCode(204);
        api().delete("/internal/apps/" + b).then().statusCode(204);
    }

    @Test
    void configuredAppsAreSeededOnceAndKeepWhatTheConfigurationSets() {
        App main = awaitPublished().byId(pusher.appId()).orElseThrow();
        assertEquals(pusher.key(), main.key());
        assertEquals(pusher.secret(), main.secret());

        long version = dbVersion();
        assertEquals(Optional.empty(), sync.seed(), "a second start changes nothing");
        assertEquals(version, dbVersion());

        // the operator's limits survive a restart; the configuration's secret wins, the old one keeps its grace
        api().body("{\"maxConnections\":7}").patch("/internal/apps/" + pusher.appId()).then().statusCode(200);
        App changed = new App(main.id(), main.key(), "a-new-configured-secret", null, null, true, AppLimits.DEFAULTS, main.webhooks(),
                main.encryptionMasterKey(), null);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> repository.seed(changed, appsConfig.secretGracePeriod())));
        assertFalse(QuarkusTransaction.requiringNew().call(() -> repository.seed(changed, appsConfig.secretGracePeriod())));
        App stored = QuarkusTransaction.requiringNew().call(() -> repository.find(main.id(), false)).orElseThrow();
        assertEquals(7, stored.limits().maxConnections());
        assertEquals("a-new-configured-secret", stored.secret());
        assertEquals(pusher.secret(), stored.previousSecret());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> repository.seed(main, appsConfig.secretGracePeriod())));
        api().body("{\"maxConnections\":null}").patch("/internal/apps/" + pusher.appId()).then().statusCode(200);

        assertProblem(api().delete("/internal/apps/" + pusher.appId()), 409, "conflict");
        assertProblem(api().post("/internal/apps/" + pusher.appId() + "/secret"), 409, "conflict");
        assertProblem(api().body("{\"secret\":\"another-secret\"}").patch("/internal/apps/" + pusher.appId()), 409, "conflict");
    }

    @Test
    void aLostSnapshotIsPublishedAgain() {
        awaitPublished();
        io.presence.common.redis.RedisCalls.send(redis, io.vertx.mutiny.redis.client.Command.DEL, store.schema().apps())
                .await().atMost(Duration.ofSeconds(5));
        awaitPublished();
    }

    @Test
    void onlyServicesMayCallIt() {
        assertProblem(io.restassured.RestAssured.given().get("/internal/apps"), 401, "unauthorized");
        assertProblem(io.restassured.RestAssured.given().contentType(ContentType.JSON).body("{\"id\":\"x\"}").post("/internal/apps"),
                401, "unauthorized");
    }
}
