package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cache channels, subscription counts, encrypted channels and watchlists with the real pusher-js against the gateways,
 * and a real server SDK (pusher-http-java) encrypting the event: each seen exactly as Pusher clients expect.
 */
@OnSharedSuite
class PusherFeaturesIT {

    private static ServiceProcess gateway;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void gateways() {
        NodeScripts.requireNode();
        gateway = SharedSuite.gateway();
        gatewayB = SharedSuite.gatewayB();
    }

    @Test
    void cacheChannelsSubscriptionCountsAndEncryptedChannels() throws Exception {
        Path project = NodeScripts.install(ServiceSuite.ROOT, "system-tests/src/test/node", "system-tests/target/pusher-js");
        String run = UUID.randomUUID().toString().substring(0, 8);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        String cacheChannel = "cache-news-" + run;
        String encrypted = "private-encrypted-news-" + run;
        GatewayApi.trigger(gateway, cacheChannel, "news", "{\"n\":1}");
        GatewayApi.trigger(gateway, cacheChannel, "news", "{\"n\":2}"); // the cache keeps the last one

        Pusher sdk = new Pusher("app-id", "app-key", "app-secret", masterKey);
        sdk.setHost("127.0.0.1:" + gateway.port);
        sdk.setEncrypted(false);
        String output = NodeScripts.run(ServiceSuite.ROOT, project, Map.of("GATEWAY_PORT", Integer.toString(gateway.port),
                        "GATEWAY_B_PORT", Integer.toString(gatewayB.port), "MASTER_KEY_BASE64", masterKey, "CACHE_CHANNEL", cacheChannel, "CACHE_EMPTY", "cache-empty-" + run,
                        "COUNT_CHANNEL", "count-" + run, "ENCRYPTED_CHANNEL", encrypted), Duration.ofSeconds(60),
                line -> {
                    if (line.equals("step:encrypted-subscribed")) {
                        Result result = sdk.trigger(encrypted, "secret-news", Map.of("text", "for your eyes only"));
                        assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getMessage());
                    }
                }, "node", "features-check.cjs");
        JsonNode seen = RawSocket.JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertTrue(seen.get("ok").asBoolean(), output);
        assertEquals(1, seen.get("cached").size(), "the cached event exactly once: " + seen);
        assertEquals(2, seen.get("cached").get(0).get("n").asInt(), "the last event triggered");
        assertEquals(1, seen.get("cacheMisses").asInt());
        assertEquals(0, seen.get("emptyCacheEvents").size());
        assertEquals(2, lastOf(seen.get("counts")), "the count reached 2: " + seen.get("counts"));
        assertEquals("for your eyes only", seen.get("decrypted").get("text").asText(), "decrypted by pusher-js");
    }

    @Test
    void watchlistsSeeEachTransitionOnceWhateverTheTabsAndGateways() throws Exception {
        Path project = NodeScripts.install(ServiceSuite.ROOT, "system-tests/src/test/node", "system-tests/target/pusher-js");
        String run = UUID.randomUUID().toString().substring(0, 8);
        // the built-in app shows a user's presence to their contacts: the watcher is a contact of everyone it watches
        SuiteStore store = new SuiteStore(SharedSuite.suite());
        for (String watched : new String[] {"ana", "bob", "carol"}) {
            store.contacts("app-id", "watcher-" + run, watched + "-" + run);
        }
        String output = NodeScripts.run(ServiceSuite.ROOT, project, Map.of("GATEWAY_A_PORT", Integer.toString(gateway.port),
                        "GATEWAY_B_PORT", Integer.toString(gatewayB.port), "RUN", run),
                Duration.ofSeconds(70), line -> { }, "node", "watchlist-check.cjs");
        JsonNode seen = RawSocket.JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertTrue(seen.get("ok").asBoolean(), output);
        String ana = seen.get("ana").asText();
        String bob = seen.get("bob").asText();
        String carol = seen.get("carol").asText();
        java.util.List<String> expected = java.util.List.of(
                "online:" + bob, "offline:" + ana + "," + carol, // the state right after sign-in
                // three connections of ana on two gateways: one transition each way; carol, coming online once ana
                // left the lobby on both gateways (still signed in), is the next event: nothing came in between
                "online:" + ana, "online:" + carol, "offline:" + ana,
                "offline:" + bob, "online:" + bob, "offline:" + bob,
                "offline:" + carol); // going offline after that: nothing more came about bob
        for (String tab : new String[] {"w1", "w2"}) {
            java.util.List<String> events = new java.util.ArrayList<>();
            seen.get("seen").get(tab).forEach(e -> events.add(e.asText()));
            assertEquals(expected, events, "every watchlist event of tab " + tab + ", in order");
        }
    }

    private static int lastOf(JsonNode counts) {
        return counts.get(counts.size() - 1).asInt();
    }
}
