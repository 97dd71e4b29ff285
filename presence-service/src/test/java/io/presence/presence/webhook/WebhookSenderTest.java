package io.presence.presence.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.common.testing.WebhookReceiver;
import io.presence.common.webhook.Webhook;
import io.presence.common.webhook.WebhookQueue;
import io.presence.presence.PresenceStores;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook sender against a real receiver: signed bodies, each event once (a copy queued twice too), retries
 * after 500s, departures undone within the grace period never sent (whatever order the pair was queued in), and a
 * webhook given up after the retry period. Every check waits until the sender has decided each queued webhook about
 * the test's channel, then compares everything the receiver got about it.
 */
@QuarkusTest
@WithTestResource(PresenceStores.class)
@WithTestResource(WebhookReceiverResource.class)
class WebhookSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The test's bound on queue entries the sender holds (presence.webhooks.max-in-hand). */
    static final int MAX_IN_HAND = 20;
    /** The test's bound on the Redis queue's length (presence.webhooks.queue-length). */
    static final int QUEUE_LENGTH = 100;

    @Inject
    WebhookQueue queue;

    @Inject
    WebhookSender sender;

    @Inject
    MeterRegistry metrics;

    @Inject
    WebhookBacklog backlog;

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig store;

    private WebhookReceiver receiver;
    private String channel;
    /** This test's start on the microsecond clock the transitions use. */
    private long start;

    @BeforeEach
    void fresh() {
        receiver = WebhookReceiverResource.receiver;
        receiver.release();
        receiver.refuse(0);
        channel = "presence-hooks-" + UUID.randomUUID();
        start = System.currentTimeMillis() * 1000;
        await().atMost(WAIT).until(sender::leader);
    }

    private List<String> received() {
        return receiver.accepted().stream().filter(e -> e.contains(" " + channel)).toList();
    }

    private void enqueue(Webhook webhook) {
        queue.enqueue(webhook).await().atMost(WAIT);
    }

    /**
     * Waits until the sender has decided every queued webhook about this test's channel: sent (acknowledged once the
     * receiver has it) or dropped, both of which delete the entry. After that nothing more about it can be sent.
     */
    private void awaitSettled() {
        await().atMost(WAIT).until(() -> redis.stream(String.class).xrange(store.schema().webhooks(), StreamRange.of("-", "+")).stream()
                .noneMatch(m -> m.payload().getOrDefault("event", "").contains("\"" + channel + "\"")));
    }

    /** A transition decided {@code micros} after this test's start, on the Redis clock as the scripts read it. */
    private Webhook.Transition at(long micros) {
        return new Webhook.Transition(start + micros, 0);
    }

    private Webhook.Transition at(long micros, long follows) {
        return new Webhook.Transition(start + micros, start + follows);
    }

    @Test
    void eachEventArrivesOnceSignedEvenWhenQueuedTwice() {
        Webhook occupied = Webhook.channelOccupied("app-id", channel, at(0));
        enqueue(occupied);
        enqueue(occupied); // a retried enqueue: the same id
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(1)));
        awaitSettled();
        assertEquals(List.of("channel_occupied " + channel, "member_added " + channel + " ana"), received());
        assertTrue(receiver.allSigned(), "X-Pusher-Key and a valid X-Pusher-Signature on every request");
    }

    @Test
    void aRefusedBodyIsSentAgainUntilAccepted() {
        receiver.refuse(2);
        long before = receiver.requests().size();
        enqueue(Webhook.memberAdded("app-id", channel, "bob", at(0)));
        awaitSettled();
        assertEquals(List.of("member_added " + channel + " bob"), received());
        assertEquals(3, receiver.requests().size() - before, "two refusals, then the accepted one");
    }

    @Test
    void aDepartureUndoneWithinTheGracePeriodIsNeverSent() {
        enqueue(Webhook.memberRemoved("app-id", channel, "ana", at(0)));
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(200_000, 0))); // a page reload 200 ms later
        enqueue(Webhook.channelVacated("app-id", channel, at(1)));
        enqueue(Webhook.channelOccupied("app-id", channel, at(300_000, 1)));
        long held = System.nanoTime();
        enqueue(Webhook.memberRemoved("app-id", channel, "bob", at(2)));
        awaitSettled();
        assertTrue(System.nanoTime() - held >= Duration.ofMillis(900).toNanos(), "bob's departure was held for the grace period");
        assertEquals(List.of("member_removed " + channel + " bob"), received());
    }

    @Test
    void aReturnQueuedBeforeItsDepartureCancelsIt() {
        // a tab closed on one gateway and the reload on another: the second gateway queued its webhooks first
        enqueue(Webhook.channelOccupied("app-id", channel, at(0)));
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(1)));
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(400_000, 300_000)));
        enqueue(Webhook.channelOccupied("app-id", channel, at(400_001, 300_001)));
        enqueue(Webhook.memberRemoved("app-id", channel, "ana", at(300_000)));
        enqueue(Webhook.channelVacated("app-id", channel, at(300_001)));
        awaitSettled();
        assertEquals(List.of("channel_occupied " + channel, "member_added " + channel + " ana"), received());
    }

    @Test
    void aReturnAfterTheGracePeriodIsNewsInOrderHoweverFastItWasQueued() {
        enqueue(Webhook.memberRemoved("app-id", channel, "ana", at(0)));
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(5_000_000, 0))); // 5 s later on the Redis clock
        awaitSettled();
        assertEquals(List.of("member_removed " + channel + " ana", "member_added " + channel + " ana"), received());
    }

    @Test
    void aReturnWhoseDepartureNeverCameIsNoNewsAndTheLateDepartureIsDropped() {
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(0)));
        // the departure's gateway died before queueing it: the return waits for it (reorder-wait), then both are no news
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(500_000, 400_000)));
        awaitSettled();
        enqueue(Webhook.memberRemoved("app-id", channel, "ana", at(400_000))); // queued after all
        enqueue(Webhook.memberAdded("app-id", channel, "cy", at(600_000)));
        awaitSettled();
        assertEquals(List.of("member_added " + channel + " ana", "member_added " + channel + " cy"), received());
    }

    @Test
    void aQueueRedisLostIsMadeAgainAndReadFromItsStart() {
        awaitSettledEverywhere();
        redis.key().del(store.schema().webhooks()); // as after a restart of Redis without persistence: group and entries gone
        enqueue(Webhook.memberAdded("app-id", channel, "ana", at(0)));
        awaitSettled();
        assertEquals(List.of("member_added " + channel + " ana"), received());
    }

    /** Waits until the queue is empty: every webhook of every test was sent or dropped. */
    private void awaitSettledEverywhere() {
        await().atMost(WAIT).until(() -> redis.stream(String.class).xrange(store.schema().webhooks(), StreamRange.of("-", "+")).isEmpty());
    }

    @Test
    void aWebhookNobodyTakesIsDroppedAfterTheRetryPeriodAndCounted() {
        double failedBefore = metrics.counter("webhooks.failed").count();
        receiver.refuse(Integer.MAX_VALUE);
        enqueue(Webhook.channelOccupied("app-id", channel, at(0)));
        await().atMost(WAIT).until(() -> metrics.get("webhooks.queue.lag").gauge().value() >= 0.5);
        await().atMost(WAIT).until(() -> metrics.counter("webhooks.failed").count() > failedBefore);
        await("nothing waits once it was dropped").atMost(WAIT).until(() -> metrics.get("webhooks.queue.lag").gauge().value() == 0);
        receiver.refuse(0);
        enqueue(Webhook.channelVacated("app-id", channel, at(1)));
        awaitSettled();
        assertEquals(List.of("channel_vacated " + channel), received());
    }

    /** The data of every accepted client event about this test's channel, in the order received. */
    private List<String> receivedData() {
        return receiver.acceptedEvents().stream().filter(e -> e.path("channel").asText().equals(channel))
                .map(e -> e.path("data").asText()).toList();
    }

    private void enqueueNumbered(int from, int to) {
        for (int n = from; n <= to; n++) {
            enqueue(Webhook.clientEvent("app-id", channel, "client-n", Integer.toString(n), "1.1", null));
        }
    }

    private static List<String> numbers(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
    }

    private long pendingInRedis() {
        return redis.stream(String.class).xpending(store.schema().webhooks(), WebhookQueue.GROUP).getPendingCount();
    }

    @Test
    void aSlowReceiverBoundsWhatTheSenderHoldsAndLosesNothing() throws Exception {
        awaitSettledEverywhere();
        receiver.hold();
        AtomicInteger mostInHand = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                mostInHand.accumulateAndGet(sender.inHand(), Math::max);
                LockSupport.parkNanos(100_000);
            }
        });
        sampler.start();
        try {
            enqueueNumbered(1, 60);
            await().atMost(WAIT).until(() -> sender.inHand() == MAX_IN_HAND && receiver.held() == 1);
            assertEquals(MAX_IN_HAND, pendingInRedis(), "Redis agrees: read and not finished");
            await("the backlog and its age are reported").atMost(WAIT).until(() -> {
                backlog.refresh().await().atMost(WAIT);
                return metrics.get("webhooks.backlog").gauge().value() == 60 && metrics.get("webhooks.backlog.age").gauge().value() > 0;
            });
            receiver.release();
            awaitSettled();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertEquals(numbers(1, 60), receivedData(), "each one once, in order");
        assertTrue(mostInHand.get() <= MAX_IN_HAND, "never more in hand than the bound: " + mostInHand.get());
        assertEquals(0, pendingInRedis());
        backlog.refresh().await().atMost(WAIT);
        assertEquals(0, metrics.get("webhooks.backlog").gauge().value());
        assertEquals(0, metrics.get("webhooks.backlog.age").gauge().value());
    }

    @Test
    void aFullQueueDropsItsOldestEntriesAndCountsTheUnreadOnesLost() {
        awaitSettledEverywhere();
        double overflowedBefore = metrics.counter("webhooks.overflowed").count();
        receiver.hold();
        enqueueNumbered(1, MAX_IN_HAND);
        await().atMost(WAIT).until(() -> sender.inHand() == MAX_IN_HAND && receiver.held() == 1);
        // 1-20 in hand; 21-120 fill the queue (their arrival drops the read 1-20 from it), 121-130 drop 21-30 unread
        enqueueNumbered(MAX_IN_HAND + 1, 130);
        assertEquals(QUEUE_LENGTH, redis.stream(String.class).xlen(store.schema().webhooks()), "the queue keeps its length");
        assertEquals(10, metrics.counter("webhooks.overflowed").count() - overflowedBefore, "only the unread ones dropped are lost");
        receiver.release();
        awaitSettled();
        List<String> expected = new java.util.ArrayList<>(numbers(1, MAX_IN_HAND));
        expected.addAll(numbers(31, 130));
        assertEquals(expected, receivedData(), "what was in hand is delivered, then the queue from its oldest entry on");
    }

}
