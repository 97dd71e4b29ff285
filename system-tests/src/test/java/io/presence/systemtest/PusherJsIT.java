package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real pusher-js (its Node build, from npm) against a gateway process: two clients in one presence channel,
 * member_added, a client event with user_id, member_removed.
 */
@OnSharedSuite
class PusherJsIT {

    @Test
    void pusherJsJoinsSeesMembersAndClientEvents() throws Exception {
        NodeScripts.requireNode();
        Path project = NodeScripts.install(ServiceSuite.ROOT, "system-tests/src/test/node", "system-tests/target/pusher-js");
        String output = NodeScripts.run(ServiceSuite.ROOT, project, Map.of("GATEWAY_PORT", Integer.toString(SharedSuite.gateway().port)),
                Duration.ofSeconds(60), "node", "presence-check.cjs");
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
