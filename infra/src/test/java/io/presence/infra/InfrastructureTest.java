package io.presence.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded fallback, exercised even where PostgreSQL and Redis run locally (as on CI). */
class InfrastructureTest {

    @TempDir
    Path temp;

    private static InfraSettings settings(InfraSettings.Mode mode, int pgPort, int redisPort) {
        return new InfraSettings(mode, "127.0.0.1", pgPort, "postgres", "", "suite_infra_test", "127.0.0.1", redisPort, "");
    }

    @Test
    void fallsBackToEmbeddedServersWhenNothingAnswersAndCleansUp() throws Exception {
        Path workDir = temp.resolve("work");
        List<String> log = new ArrayList<>();
        PostgresEndpoint pg;
        RedisEndpoint redis;
        try (Infrastructure infra = Infrastructure.open(settings(InfraSettings.Mode.AUTO, Infrastructure.freePort(),
                Infrastructure.freePort()), workDir, log::add)) {
            pg = infra.postgres();
            redis = infra.redis();
            assertTrue(pg.embedded());
            assertTrue(redis.embedded());

            pg.ensureDatabase();
            pg.ensureDatabase(); // idempotent
            try (var c = pg.connect(pg.database()); var s = c.createStatement(); var r = s.executeQuery("SELECT current_database()")) {
                r.next();
                assertEquals("suite_infra_test", r.getString(1));
            }
            redis.ping();
            assertTrue(Files.isDirectory(workDir));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("starting an embedded one")), log.toString());
        assertFalse(Files.exists(workDir), "work directory removed on close");
        assertThrows(Exception.class, () -> pg.connect("postgres").close(), "embedded PostgreSQL stopped");
        assertThrows(Exception.class, redis::ping, "embedded Redis stopped");
    }

    @Test
    void externalModeRefusesToStartEmbeddedServers() throws Exception {
        try (Infrastructure infra = Infrastructure.open(settings(InfraSettings.Mode.EXTERNAL, Infrastructure.freePort(),
                Infrastructure.freePort()), temp.resolve("ext"), line -> { })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, infra::redis);
            assertTrue(e.getMessage().contains("SUITE_INFRA=external"), e.getMessage());
        }
    }

    @Test
    void settingsComeFromSuiteVariables() {
        InfraSettings s = InfraSettings.from(Map.of("SUITE_INFRA", "Embedded", "SUITE_PG_PORT", "6543", "SUITE_REDIS_HOST", "redis.local"));
        assertEquals(InfraSettings.Mode.EMBEDDED, s.mode());
        assertEquals(6543, s.pgPort());
        assertEquals("redis.local", s.redisHost());
        assertEquals("presence", s.pgDatabase());
        assertEquals(6379, s.redisPort());
    }

    @Test
    void identifiersAreQuotedForSql() {
        assertEquals("\"we\"\"ird\"", PostgresEndpoint.quoteIdentifier("we\"ird"));
    }

    @Test
    void eachServiceGetsOnlyTheStoresItUses() {
        var pg = new PostgresEndpoint("db", 5432, "u", "p", "presence", false);
        var redis = new RedisEndpoint("cache", 6379, "", false);
        var ports = SuiteEnvironment.Ports.defaults();
        Map<String, String> user = SuiteEnvironment.forService("user-service", pg, redis, ports, temp);
        assertEquals("jdbc:postgresql://db:5432/presence", user.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("8081", user.get("QUARKUS_HTTP_PORT"));
        assertEquals("http://127.0.0.1:8083", user.get("QUARKUS_REST_CLIENT_MESSAGE_SERVICE_URL"));
        Map<String, String> message = SuiteEnvironment.forService("message-service", pg, redis, ports, temp);
        assertEquals("jdbc:postgresql://db:5432/presence", message.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("http://127.0.0.1:8081", message.get("QUARKUS_REST_CLIENT_USER_SERVICE_URL"));
        Map<String, String> presence = SuiteEnvironment.forService("presence-service", pg, redis, ports, temp);
        assertFalse(presence.containsKey("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("redis://cache:6379", presence.get("QUARKUS_REDIS_HOSTS"));
        Map<String, String> gateway = SuiteEnvironment.forService("gateway-service", pg, redis, ports, temp);
        assertEquals("http://127.0.0.1:8083", gateway.get("GATEWAY_BACKENDS_MESSAGE_SERVICE"));
    }

    @Test
    void everyServiceRunsInTheDevProfileOnLoopbackOnlyAndTheBackendsShareOneServiceToken() {
        var pg = new PostgresEndpoint("db", 5432, "u", "p", "presence", false);
        var redis = new RedisEndpoint("cache", 6379, "", false);
        var ports = SuiteEnvironment.Ports.defaults();
        Map<String, String> user = SuiteEnvironment.forService("user-service", pg, redis, ports, temp);
        Map<String, String> message = SuiteEnvironment.forService("message-service", pg, redis, ports, temp);
        Map<String, String> presence = SuiteEnvironment.forService("presence-service", pg, redis, ports, temp);
        Map<String, String> gateway = SuiteEnvironment.forService("gateway-service", pg, redis, ports, temp);
        for (Map<String, String> service : List.of(user, message, presence, gateway)) {
            assertEquals("127.0.0.1", service.get("QUARKUS_HTTP_HOST"));
            assertEquals("dev", service.get("QUARKUS_PROFILE"), "the development secrets are allowed in dev only");
        }
        assertEquals("127.0.0.1", gateway.get("QUARKUS_MANAGEMENT_HOST"));
        assertEquals("9080", gateway.get("QUARKUS_MANAGEMENT_PORT"));
        assertTrue(user.get("INTERNAL_TOKEN").length() >= 43, "256 random bits");
        assertEquals(user.get("INTERNAL_TOKEN"), message.get("INTERNAL_TOKEN"));
        assertEquals(user.get("INTERNAL_TOKEN"), gateway.get("INTERNAL_TOKEN"), "the console's app API calls user-service");
    }
}
