package io.presence.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml is valid for a real Compose (its {@code config} validates against the Compose schema and
 * resolves anchors and defaults) and has the shape the issue asks for.
 */
class ComposeFileTest {

    @Test
    void storesPersistAndReportHealth() {
        JsonNode services = Compose.rendered().path("services");
        JsonNode volumes = Compose.rendered().path("volumes");
        JsonNode postgres = services.path("postgres");
        assertEquals("presence", Compose.environment(postgres).get("POSTGRES_DB"), "the database the services' JDBC URLs name");
        assertTrue(mountsNamedVolume(postgres, "/var/lib/postgresql/data", volumes), "PostgreSQL data on a named volume");
        assertTrue(String.join(" ", Compose.strings(postgres.path("healthcheck").path("test"))).contains("pg_isready"));
        JsonNode redis = services.path("redis");
        List<String> command = Compose.strings(redis.path("command"));
        assertTrue(String.join(" ", command).contains("--appendonly yes"), "Redis with append-only persistence: " + command);
        assertTrue(mountsNamedVolume(redis, "/data", volumes), "Redis data on a named volume");
        assertTrue(String.join(" ", Compose.strings(redis.path("healthcheck").path("test"))).contains("ping"));
    }

    @Test
    void servicesStartInOrderAndOnlyTheGatewaysArePublished() {
        JsonNode services = Compose.rendered().path("services");
        List<String> published = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            if (e.getValue().has("ports")) {
                published.add(e.getKey());
            }
            assertFalse(e.getValue().path("healthcheck").isMissingNode(), e.getKey() + " has a health check");
            e.getValue().path("depends_on").fields().forEachRemaining(d -> {
                assertEquals("service_healthy", d.getValue().path("condition").asText(), e.getKey() + " waits for " + d.getKey() + " to be healthy");
                assertFalse(services.path(d.getKey()).path("healthcheck").isMissingNode(), d.getKey() + " can become healthy");
            });
            assertFalse(e.getValue().has("container_name"), e.getKey() + ": a fixed container name would prevent scaling");
        });
        assertEquals(Set.of("gateway", "gateway-2"), Set.copyOf(published));
        Set<String> hostPorts = new java.util.HashSet<>();
        for (String gateway : published) {
            JsonNode port = services.path(gateway).path("ports").get(0);
            assertEquals(8080, port.path("target").asInt(), gateway + " publishes the gateway port");
            assertTrue(hostPorts.add(port.path("published").asText()), "each gateway has its own host port");
        }
        assertTrue(Set.of("user-service", "presence-service", "message-service", "redis").stream()
                .allMatch(d -> services.path("gateway").path("depends_on").has(d)), "the gateway starts after its backends and Redis");
        assertTrue(services.path("gateway-2").path("profiles").toString().contains("second-gateway"), "the second gateway is opt-in");
    }

    @Test
    void withoutTheSecretsComposeRefusesToStartAndNamesThem() {
        // issue 26, point 1: no development secret falls back in; each missing secret stops Compose with its name
        assertEquals(List.of("POSTGRES_PASSWORD", "PUSHER_SECRET", "PRESENCE_CONSOLE_PASSWORD", "INTERNAL_TOKEN"), Compose.secrets(),
                "the secrets .env.example asks for");
        for (String secret : Compose.secrets()) {
            Tools.Result refused = Tools.attempt(Tools.composeCommand(Compose.envFile(List.of(secret)).toString()));
            assertNotEquals(0, refused.exitCode(), "Compose renders without " + secret);
            assertTrue(refused.errors().contains(secret), "the refusal names " + secret + ": " + refused.errors());
        }
        Tools.Result asShipped = Tools.attempt(Tools.composeCommand(Repository.file(".env.example").toString()));
        assertNotEquals(0, asShipped.exitCode(), ".env.example copied unchanged starts nothing");
    }

    @Test
    void theSecretsComeFromTheEnvFileAndReachEveryServiceThatHoldsThem() {
        JsonNode services = Compose.rendered().path("services");
        Map<String, List<String>> holders = Map.of(
                "PUSHER_SECRET", List.of("gateway", "gateway-2", "user-service", "presence-service"),
                "PRESENCE_CONSOLE_PASSWORD", List.of("gateway", "gateway-2"),
                "INTERNAL_TOKEN", List.of("gateway", "gateway-2", "user-service", "message-service"),
                "QUARKUS_DATASOURCE_PASSWORD", List.of("user-service", "message-service"));
        holders.forEach((variable, names) -> {
            String expected = Compose.valueOf(variable.equals("QUARKUS_DATASOURCE_PASSWORD") ? "POSTGRES_PASSWORD" : variable);
            for (String name : names) {
                assertEquals(expected, Compose.environment(services.path(name)).get(variable), name + " gets " + variable + " from .env");
            }
        });
        assertEquals(Compose.valueOf("POSTGRES_PASSWORD"), Compose.environment(services.path("postgres")).get("POSTGRES_PASSWORD"));
    }

    private static boolean mountsNamedVolume(JsonNode service, String target, JsonNode volumes) {
        for (JsonNode mount : service.path("volumes")) {
            String source;
            String to;
            if (mount.isTextual()) {
                String[] parts = mount.asText().split(":");
                source = parts[0];
                to = parts.length > 1 ? parts[1] : "";
            } else {
                source = mount.path("source").asText();
                to = mount.path("target").asText();
            }
            if (to.equals(target) && volumes.has(source)) {
                return true;
            }
        }
        return false;
    }
}
