package io.presence.systemtest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.presence.infra.Infrastructure;
import io.presence.infra.InfraSettings;
import io.presence.infra.PostgresEndpoint;
import io.presence.infra.RedisEndpoint;
import io.presence.infra.SuiteEnvironment;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four packaged services as separate processes on the discovered stores, reached through TCP proxies so the
 * stores can be "taken away" from them: readiness, routing through the gateway, and failure behaviour.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private static Infrastructure infra;
    private static PostgresEndpoint database;
    private static TcpProxy pgProxy;
    private static TcpProxy redisProxy;
    private static final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    @BeforeAll
    static void startSuite() throws Exception {
        infra = Infrastructure.open(InfraSettings.fromEnvironment(), ROOT.resolve("system-tests/target/infra"), System.out::println);
        database = infra.postgres().withDatabase("systest_" + UUID.randomUUID().toString().replace("-", ""));
        database.ensureDatabase();
        pgProxy = new TcpProxy(database.host(), database.port());
        redisProxy = new TcpProxy(infra.redis().host(), infra.redis().port());
        PostgresEndpoint pgViaProxy = new PostgresEndpoint("127.0.0.1", pgProxy.port(), database.user(), database.password(), database.database(), false);
        RedisEndpoint redisViaProxy = new RedisEndpoint("127.0.0.1", redisProxy.port(), infra.redis().password(), false);
        SuiteEnvironment.Ports ports = new SuiteEnvironment.Ports(Infrastructure.freePort(), Infrastructure.freePort(),
                Infrastructure.freePort(), Infrastructure.freePort());
        for (String name : SuiteEnvironment.SERVICES) {
            Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService(name, pgViaProxy, redisViaProxy, ports, ROOT.resolve("system-tests/target")));
            env.put("PRESENCE_KEY_PREFIX", "systest-" + UUID.randomUUID());
            services.put(name, ServiceProcess.start(ROOT, name, ports.of(name), env));
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stopSuite() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (ServiceProcess service : services.values()) {
            try {
                service.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (pgProxy != null) {
            pgProxy.close();
        }
        if (redisProxy != null) {
            redisProxy.close();
        }
        if (database != null) {
            database.dropDatabase();
        }
        if (infra != null) {
            infra.close();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static ServiceProcess service(String name) {
        return services.get(name);
    }

    private static String gateway(String path) {
        return service("gateway-service").url(path);
    }

    @Test
    @Order(1)
    void everyServiceIsLiveReadyAndObservable() {
        for (ServiceProcess s : services.values()) {
            given().get(s.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
            given().get(s.url("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
            given().get(s.url("/q/metrics")).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
            given().get(s.url("/q/openapi")).then().statusCode(200).body(containsString("openapi"));
            given().get(s.url("/q/swagger-ui/")).then().statusCode(200);
        }
    }

    @Test
    @Order(2)
    void requestsThroughTheGatewayReachEachBackendAndComeBack() {
        String handle = "sys" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"handle\":\"" + handle + "\",\"password\":\"long enough\",\"displayName\":\"System Test\"}")
                .post(gateway("/api/users"))
                .then().statusCode(201)
                .header("Location", containsString("/api/users/" + handle))
                .body("displayName", equalTo("System Test"));
        given().get(gateway("/api/users/" + handle)).then().statusCode(200).body("handle", equalTo(handle));
        given().get(gateway("/api/users/nobody-" + handle)).then().statusCode(404).contentType("application/problem+json");

        given().get(gateway("/api/presence/users/" + handle)).then().statusCode(200)
                .body("online", equalTo(false)).body("status", equalTo("offline"));

        given().get(gateway("/api/rooms")).then().statusCode(200).body("rooms.size()", equalTo(0));
    }

    @Test
    @Order(3)
    void losingPostgresTakesDownOnlyTheServicesThatNeedIt() throws Exception {
        pgProxy.cut();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertEquals(503, service("user-service").readiness());
                assertEquals(503, service("message-service").readiness());
            });
            assertEquals(200, service("presence-service").readiness());
            assertEquals(200, service("gateway-service").readiness());
            given().contentType(ContentType.JSON)
                    .body("{\"handle\":\"while-down\",\"password\":\"long enough\"}")
                    .post(gateway("/api/users"))
                    .then().statusCode(503)
                    .time(lessThan(10_000L))
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:presence:problem:store-unavailable"));
        } finally {
            pgProxy.restore();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(200, service("user-service").readiness());
            assertEquals(200, service("message-service").readiness());
        });
        given().get(gateway("/api/rooms")).then().statusCode(200);
    }

    @Test
    @Order(4)
    void losingRedisTakesDownOnlyTheServicesThatNeedIt() throws Exception {
        redisProxy.cut();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertEquals(503, service("presence-service").readiness());
                assertEquals(503, service("gateway-service").readiness());
                assertEquals(503, service("user-service").readiness());
            });
            assertEquals(200, service("message-service").readiness());
            given().get(gateway("/api/presence/users/someone"))
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:presence:problem:store-unavailable"));
        } finally {
            redisProxy.restore();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(200, service("presence-service").readiness());
            assertEquals(200, service("gateway-service").readiness());
            assertEquals(200, service("user-service").readiness());
        });
    }

    @Test
    @Order(5)
    void aBackendThatIsDownIsAProblemFromTheGatewayNotAHang() throws Exception {
        service("message-service").kill();
        given().get(gateway("/api/rooms"))
                .then().statusCode(503)
                .time(lessThan(5_000L))
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("urn:presence:problem:backend-unavailable"))
                .body("detail", containsString("message-service"));
        // the other backends are unaffected
        given().get(gateway("/api/presence/users/someone")).then().statusCode(200);
    }
}
