package io.presence.presence.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.testing.WebhookReceiver;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.presence.presence.PresenceStores;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook sender against a real receiver: signed bodies, each event once (a copy queued twice too), retries
 * after 500s, departures undone within the grace period never sent, and a webhook given up after the retry period.
 */
@QuarkusTest
@WithTestResource(PresenceStores.class)
@WithTestResource(WebhookReceiverResource.class)
class WebhookSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    WebhookQueue queue;

    @Inject
    WebhookSender sender;

    @Inject
    MeterRegistry metrics;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig store;

    private WebhookReceiver receiver;
    private String channel;

    @BeforeEach
    void fresh() {
        receiver = WebhookReceiverResource.receiver;
        receiver.refuse(0);
        channel = "presence-hooks-" + UUID.randomUUID();
        await().atMost(WAIT).until(sender::leader);
    }

    private List<String> received() {
        return receiver.accepted().stream().filter(e -> e.contains(" " + channel)).toList();
    }

    private void enqueue(Webhook webhook) {
        queue.enqueue(webhook).await().atMost(WAIT);
    }

    @Test
    void eachEventArrivesOnceSignedEvenWhenQueuedTwice() {
        Webhook occupied = Webhook.channelOccupied("app-id", channel);
        enqueue(occupied);
        enqueue(occupied); // a retried enqueue: the same id
        enqueue(Webhook.memberAdded("app-id", channel, "ana"));
        await().atMost(WAIT).until(() -> received().size() >= 2);
        sleep(500);
        assertEquals(List.of("channel_occupied " + channel, "member_added " + channel + " ana"), received());
        assertTrue(receiver.allSigned(), "X-Pusher-Key and a valid X-Pusher-Signature on every request");
    }

    @Test
    void aRefusedBodyIsSentAgainUntilAccepted() {
        receiver.refuse(2);
        long before = receiver.requests().size();
        enqueue(Webhook.memberAdded("app-id", channel, "bob"));
        await().atMost(WAIT).until(() -> received().size() == 1);
        assertEquals(List.of("member_added " + channel + " bob"), received());
        assertEquals(3, receiver.requests().size() - before, "two refusals, then the accepted one");
    }

    @Test
    void aDepartureUndoneWithinTheGracePeriodIsNeverSent() {
        enqueue(Webhook.memberRemoved("app-id", channel, "ana"));
        enqueue(Webhook.memberAdded("app-id", channel, "ana")); // a page reload
        enqueue(Webhook.channelVacated("app-id", channel));
        enqueue(Webhook.channelOccupied("app-id", channel));
        long start = System.nanoTime();
        enqueue(Webhook.memberRemoved("app-id", channel, "bob"));
        await().atMost(WAIT).until(() -> !received().isEmpty());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(900).toNanos(), "held for the grace period");
        sleep(1500);
        assertEquals(List.of("member_removed " + channel + " bob"), received());
    }

    @Test
    void aWebhookNobodyTakesIsDroppedAfterTheRetryPeriodAndCounted() {
        double failedBefore = metrics.counter("webhooks.failed").count();
        receiver.refuse(Integer.MAX_VALUE);
        enqueue(Webhook.channelOccupied("app-id", channel));
        await().atMost(WAIT).until(() -> metrics.get("webhooks.queue.lag").gauge().value() >= 0.5);
        await().atMost(WAIT).until(() -> metrics.counter("webhooks.failed").count() > failedBefore);
        await("nothing waits once it was dropped").atMost(WAIT).until(() -> metrics.get("webhooks.queue.lag").gauge().value() == 0);
        receiver.refuse(0);
        enqueue(Webhook.channelVacated("app-id", channel));
        await().atMost(WAIT).until(() -> received().size() == 1);
        assertEquals(List.of("channel_vacated " + channel), received());
        await().atMost(WAIT).until(() -> redis.execute("XLEN", store.schema().webhooks()).toLong() == 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
