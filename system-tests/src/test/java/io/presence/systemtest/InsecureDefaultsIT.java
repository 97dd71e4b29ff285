package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.infra.Infrastructure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 26, point 1, on a real process: the packaged gateway started in the prod profile with the development app
 * secret, no console password and a development internal token exits non-zero with one line naming each setting
 * (each default also has its own unit test in common's InsecureDefaultsTest). No store is needed: the check runs
 * before the service uses one.
 */
class InsecureDefaultsIT {

    @Test
    void aServiceInTheProdProfileWithDevelopmentSecretsExitsNamingEachSetting() throws Exception {
        int port = Infrastructure.freePort();
        Map<String, String> env = Map.of(
                "QUARKUS_PROFILE", "prod",
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(Infrastructure.freePort()),
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + Infrastructure.freePort(),
                "PUSHER_SECRET", "app-secret",
                "INTERNAL_TOKEN", "dev-internal-token");
        ServiceProcess service = ServiceProcess.start(ServiceSuite.ROOT, "gateway-service", port, env, "insecure-defaults");
        try {
            // generous: a JVM start on a loaded machine; it ends long before unless it does not refuse at all
            int exit = service.awaitExit(Duration.ofSeconds(90));
            String output = service.output();
            assertTrue(exit > 0, "exits with an error code, not " + exit + ":\n" + output);
            for (String setting : new String[] {"pusher.secret (PUSHER_SECRET) is the development secret 'app-secret'",
                    "presence.console.password (PRESENCE_CONSOLE_PASSWORD) is not set",
                    "internal.token (INTERNAL_TOKEN) is a development token"}) {
                assertEquals(1, output.lines().filter(line -> line.contains("refusing to start: " + setting)).count(),
                        "one line names " + setting + ":\n" + output);
            }
            assertTrue(output.lines().noneMatch(line -> line.contains("Listening on")), "it never served:\n" + output);
        } finally {
            service.close();
        }
    }
}
