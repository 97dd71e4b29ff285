package io.presence.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.presence.common.testing.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Webhooks from the shared suite's two gateway processes and presence-service to a real receiver that checks every
 * signature with pusher-http-java: one member_added per user however many tabs and gateways, one channel_occupied per
 * occupancy, a reload within the grace period is no news (even when the reload's gateway queues its webhooks before
 * the closed tab's), client events, cache misses and subscription counts, retries after refusals, and nothing lost
 * when presence-service restarts with webhooks queued. Each check waits until the change is done in Redis (a join is
 * acknowledged, a leave shows in the HTTP API's subscription count) and every webhook queued about the channel was
 * sent or dropped by the sender, then compares everything the receiver got about the channel: nothing is missing,
 * nothing came twice, and nothing more can come.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@OnSharedSuite
class WebhooksIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static WebhookReceiver receiver;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static SuiteStore store;

    @BeforeAll
    static void suite() {
        receiver = SharedSuite.receiver();
        gatewayA = SharedSuite.gateway();
        gatewayB = SharedSuite.gatewayB();
        store = new SuiteStore(SharedSuite.suite());
    }

    /** The accepted webhook events about a channel, as "name channel user", sorted (they come from different processes). */
    private static List<String> about(String channel) {
        return receiver.accepted().stream().filter(e -> e.split(" ")[1].equals(channel)).sorted().toList();
    }

    /**
     * Waits until the receiver has at least {@code expected} about the channel and nothing about it is left in the
     * queue (departures wait out the grace period there), then asserts it got exactly these.
     */
    private static void expect(String channel, List<String> expected) {
        List<String> sorted = expected.stream().sorted().toList();
        await().atMost(WAIT).until(() -> about(channel).size() >= sorted.size() && store.noWebhookQueuedAbout(channel));
        assertEquals(sorted, about(channel));
        assertTrue(receiver.allSigned(), "every request signed with the app key and secret");
    }

    /** Waits until the channel's subscribers on every gateway are this many (a leave has been counted). */
    private static void awaitSubscribers(String channel, int count) {
        await().atMost(WAIT).until(() -> GatewayApi.subscriptionCount(gatewayA, channel) == count);
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
        anaB.close();
        bob.close();
        awaitSubscribers(channel, 0);
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
        awaitSubscribers(channel, 1); // the closed page's leave has been counted, whichever came first
        expect(channel, List.of("channel_occupied " + channel, "member_added " + channel + " cy"));
        reloaded.close();
        awaitSubscribers(channel, 0);
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
        other.ignore(RawSocket.SUBSCRIPTION_COUNT);
        other.subscribePublic(cache);
        other.next("pusher:cache_miss");
        other.subscribePublic(counted);
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
        for (String gone : List.of(channel, cache, counted)) {
            awaitSubscribers(gone, 0);
        }
    }

    @Test
    @Order(4)
    void refusedBodiesAreRetriedAndARestartOfPresenceServiceLosesNothing() throws Exception {
        String channel = "presence-restart-" + UUID.randomUUID();
        // every earlier webhook was sent: none of them is the one refused (they would hold this test's back)
        await().atMost(WAIT).until(() -> store.queuedWebhooks().isEmpty());
        receiver.refuse(Integer.MAX_VALUE);
        try {
            RawSocket eve = new RawSocket(gatewayA.port);
            eve.join(channel, "eve");
            await().atMost(WAIT).until(() -> receiver.requests().stream().anyMatch(r -> r.answered() == 500 && r.body().contains(channel)));
            SharedSuite.suite().stop("presence-service"); // with the webhooks still queued (refused so far)
            receiver.refuse(0);
            SharedSuite.suite().startAgain("presence-service");
            expect(channel, List.of("channel_occupied " + channel, "member_added " + channel + " eve"));
            eve.close();
            awaitSubscribers(channel, 0);
        } finally {
            receiver.refuse(0);
        }
    }
}
