package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.testing.WebhookReceiver;
import io.presence.infra.InfraSettings;
import io.presence.infra.Infrastructure;
import java.time.Duration;
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
 * Webhooks from two gateway processes and presence-service to a real receiver that checks every signature with
 * pusher-http-java: one member_added per user however many tabs and gateways, one channel_occupied per occupancy,
 * a reload within the grace period is no news, client events, cache misses and subscription counts, retries after
 * refusals, and nothing lost when presence-service restarts with webhooks queued.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Infrastructure infra;
    private static ServiceSuite suite;
    private static WebhookReceiver receiver;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver("app-id", "app-key", "app-secret");
        infra = Infrastructure.open(InfraSettings.fromEnvironment(), ServiceSuite.ROOT.resolve("system-tests/target/infra-webhooks"),
                System.out::println);
        Map<String, String> hooks = Map.of("PUSHER_WEBHOOK_URLS", receiver.url(), "PRESENCE_WEBHOOKS_GRACE", "2s",
                "PRESENCE_WEBHOOKS_INITIAL_BACKOFF", "200ms", "PRESENCE_WEBHOOKS_MAX_BACKOFF", "1s",
                "PRESENCE_WEBHOOKS_SUBSCRIPTION_COUNT_INTERVAL", "500ms");
        suite = new ServiceSuite("webhooks", null, infra.redis());
        suite.start("presence-service", hooks);
        gatewayA = suite.startGateway("gateway-a", hooks);
        gatewayB = suite.startGateway("gateway-b", hooks);
        suite.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (infra != null) {
            infra.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The accepted webhook events about a channel, as "name channel user", sorted (they come from different processes). */
    private static List<String> about(String channel) {
        return receiver.accepted().stream().filter(e -> e.split(" ")[1].equals(channel)).sorted().toList();
    }

    /** Waits until no webhook request has come for 3 s (longer than the grace and the subscription count interval). */
    private static void awaitQuiet() {
        int[] seen = {receiver.requests().size()};
        long[] since = {System.nanoTime()};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            int now = receiver.requests().size();
            if (now != seen[0]) {
                seen[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > Duration.ofSeconds(3).toNanos();
        });
    }

    /** Waits until the receiver has {@code expected} about the channel, then a little longer to catch any extra one. */
    private static void expect(String channel, List<String> expected) throws InterruptedException {
        List<String> sorted = expected.stream().sorted().toList();
        await().atMost(WAIT).until(() -> about(channel).size() >= sorted.size());
        Thread.sleep(3_000); // longer than the grace period: a duplicate or a late departure would be here now
        assertEquals(sorted, about(channel));
        assertTrue(receiver.allSigned(), "every request signed with the app key and secret");
    }

    @Test
    @Order(1)
    void oneMemberAddedPerUserAndOneOccupancyHoweverManyTabsAndGateways() throws Exception {
        String channel = "presence-hooks-" + UUID.randomUUID();
        RawSocket anaA = new RawSocket(gatewayA.port);
        anaA.join(channel, "ana");
        RawSocket anaB = new RawSocket(gatewayB.port);
        anaB.join(channel, "ana");
        RawSocket bob = new RawSocket(gatewayB.port);
        bob.join(channel, "bob");
        anaA.close();
        Thread.sleep(500);
        anaB.close();
        bob.close();
        expect(channel, List.of("channel_occupied " + channel, "member_added " + channel + " ana", "member_added " + channel + " bob",
                "member_removed " + channel + " ana", "member_removed " + channel + " bob", "channel_vacated " + channel));
    }

    @Test
    @Order(2)
    void aReloadWithinTheGracePeriodIsNoNews() throws Exception {
        String channel = "presence-reload-" + UUID.randomUUID();
        RawSocket page = new RawSocket(gatewayA.port);
        page.join(channel, "cy");
        page.close();
        RawSocket reloaded = new RawSocket(gatewayB.port);
        reloaded.join(channel, "cy");
        expect(channel, List.of("channel_occupied " + channel, "member_added " + channel + " cy"));
        reloaded.close();
    }

    @Test
    @Order(3)
    void clientEventsCacheMissesAndSubscriptionCounts() throws Exception {
        String channel = "presence-client-" + UUID.randomUUID();
        RawSocket dee = new RawSocket(gatewayA.port);
        dee.join(channel, "dee");
        dee.send(Map.of("event", "client-wave", "channel", channel, "data", Map.of("hi", 1)));
        String cache = "cache-empty-" + UUID.randomUUID();
        String counted = "public-count-" + UUID.randomUUID();
        RawSocket other = new RawSocket(gatewayB.port);
        other.send(Map.of("event", "pusher:subscribe", "data", Map.of("channel", cache)));
        other.send(Map.of("event", "pusher:subscribe", "data", Map.of("channel", counted)));
        await().atMost(WAIT).until(() -> receiver.accepted().stream().anyMatch(e -> e.startsWith("client_event " + channel)));
        JsonNode clientEvent = receiver.acceptedEvents().stream().filter(e -> e.path("channel").asText().equals(channel)
                && e.path("name").asText().equals("client_event")).findFirst().orElseThrow();
        assertEquals("client-wave", clientEvent.get("event").asText());
        assertEquals("{\"hi\":1}", clientEvent.get("data").asText());
        assertEquals("dee", clientEvent.get("user_id").asText());
        assertEquals(dee.socketId(), clientEvent.get("socket_id").asText());
        expect(cache, List.of("channel_occupied " + cache, "cache_miss " + cache, "subscription_count " + cache));
        await().atMost(WAIT).until(() -> receiver.acceptedEvents().stream().anyMatch(e -> e.path("channel").asText().equals(counted)
                && e.path("name").asText().equals("subscription_count") && e.path("subscription_count").asInt() == 1));
        dee.close();
        other.close();
    }

    @Test
    @Order(4)
    void refusedBodiesAreRetriedAndARestartOfPresenceServiceLosesNothing() throws Exception {
        String channel = "presence-restart-" + UUID.randomUUID();
        awaitQuiet(); // the previous test's webhooks (vacated after the 2 s grace) must not be the ones refused
        receiver.refuse(Integer.MAX_VALUE);
        RawSocket eve = new RawSocket(gatewayA.port);
        eve.join(channel, "eve");
        await().atMost(WAIT).until(() -> receiver.requests().stream().anyMatch(r -> r.answered() == 500 && r.body().contains(channel)));
        suite.stop("presence-service"); // with the webhooks still queued (refused so far)
        receiver.refuse(0);
        suite.startAgain("presence-service", "presence-service-again");
        expect(channel, List.of("channel_occupied " + channel, "member_added " + channel + " eve"));
        eve.close();
    }
}
