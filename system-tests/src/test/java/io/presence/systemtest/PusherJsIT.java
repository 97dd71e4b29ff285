package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.infra.Infrastructure;
import io.presence.infra.InfraSettings;
import io.presence.infra.SuiteEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real pusher-js (its Node build, from npm) against a gateway process: two clients in one presence channel,
 * member_added, a client event with user_id, member_removed. Skipped, visibly, only where Node.js is not installed.
 */
class PusherJsIT {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    @Test
    void pusherJsJoinsSeesMembersAndClientEvents() throws Exception {
        Assumptions.assumeTrue(NodeScripts.available("node") && NodeScripts.available("npm"), "Node.js and npm are not installed: pusher-js check skipped");
        Path project = NodeScripts.install(ROOT, "system-tests/src/test/node", "system-tests/target/pusher-js");

        try (Infrastructure infra = Infrastructure.open(InfraSettings.fromEnvironment(), ROOT.resolve("system-tests/target/infra-js"), System.out::println)) {
            int port = Infrastructure.freePort();
            SuiteEnvironment.Ports ports = new SuiteEnvironment.Ports(port, Infrastructure.freePort(),
                    Infrastructure.freePort(), Infrastructure.freePort());
            Map<String, String> env = new LinkedHashMap<>(SuiteEnvironment.forService("gateway-service", null, infra.redis(), ports,
                    ROOT.resolve("system-tests/target/gateway-js")));
            env.put("PRESENCE_STORE_KEY_PREFIX", "js-" + UUID.randomUUID());
            try (ServiceProcess gateway = ServiceProcess.start(ROOT, "gateway-service", port, env, "gateway-js")) {
                gateway.awaitReady(Duration.ofSeconds(90));
                String output = NodeScripts.run(ROOT, project, Map.of("GATEWAY_PORT", Integer.toString(port)), Duration.ofSeconds(60),
                        "node", "presence-check.cjs");
                JsonNode seen = new ObjectMapper().readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
                assertTrue(seen.get("ok").asBoolean(), output);
                assertEquals(1, seen.get("anaCountOnJoin").asInt());
                assertEquals(2, seen.get("bobCountOnJoin").asInt());
                assertEquals("bob", seen.get("added").asText());
                assertEquals("bob", seen.get("clientEvent").get("userId").asText());
                assertEquals("bob", seen.get("clientEvent").get("data").get("from").asText());
                assertEquals("bob", seen.get("removed").asText());
                assertEquals(1, seen.get("anaCountAtEnd").asInt());
                assertTrue(seen.get("socketId").asText().matches("\\d+\\.\\d+"));
            }
        }
    }
}
