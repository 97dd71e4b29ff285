package io.presence.common.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.redis.TestRedis;
import io.presence.common.store.PresenceSchema.ChannelKeys;
import io.presence.common.testing.Inbox;
import io.presence.common.testing.RequiredTool;
import io.presence.infra.RedisProcess;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events leave in the order they were reserved, numbered consecutively, and survive Redis being away for a while. */
class EventPublisherTest {

    private static final Duration WAIT = Inbox.CEILING;
    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = TestRedis.standalone();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private static EventPublisher publisher(TestRedis on, Map<String, String> settings) {
        return publisher(on, settings, new SimpleMeterRegistry());
    }

    private static EventPublisher publisher(TestRedis on, Map<String, String> settings, MeterRegistry metrics) {
        return new EventPublisher(on.redis(), on.storeConfig(), on.eventsConfig(settings), io.presence.common.redis.TestRedis.RETENTION, metrics);
    }

    private static List<Long> decodedSeqs(TestRedis.Listener bus, int count) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChannelEvent event = (ChannelEvent) EventCodec.decode(bus.next());
            assertEquals("e" + i, event.data(), "in order");
            seqs.add(event.seq());
        }
        return seqs;
    }

    @Test
    void eventsOfAChannelGoOutInOrderWithConsecutiveNumbers() throws Exception {
        EventPublisher publisher = publisher(redis, Map.of("presence.events.publisher.max-batch", "7"));
        String channel = "private-" + UUID.randomUUID();
        try (TestRedis.Listener bus = redis.listen(redis.storeConfig().schema().busChannel("app", channel))) {
            List<Uni<Long>> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(publisher.publish("app", channel, ChannelEvent.server("n", "e" + i, null)));
            }
            List<Long> answered = Uni.join().all(sent).andFailFast().await().atMost(WAIT);
            List<Long> received = decodedSeqs(bus, 100);
            assertEquals(answered, received);
            for (int i = 1; i < received.size(); i++) {
                assertEquals(received.get(i - 1) + 1, received.get(i));
            }
            bus.expectNothing(); // every call was answered: whatever the publisher sent, Redis ran before the marker
        }
        assertEquals(0, publisher.queued());
    }

    @Test
    void aReservedEventHoldsBackLaterOnesUntilReleasedOrCancelled() throws Exception {
        EventPublisher publisher = publisher(redis, Map.of());
        String channel = "private-" + UUID.randomUUID();
        try (TestRedis.Listener bus = redis.listen(redis.storeConfig().schema().busChannel("app", channel))) {
            EventPublisher.Ticket first = publisher.reserve("app", channel);
            EventPublisher.Ticket dropped = publisher.reserve("app", channel);
            EventPublisher.Ticket third = publisher.reserve("app", channel);
            third.release(ChannelEvent.server("n", "e1", null));
            // had the third gone out now, it would be read before e0
            first.release(ChannelEvent.server("n", "e0", null));
            assertEquals("e0", ((ChannelEvent) EventCodec.decode(bus.next())).data());
            first.published().await().atMost(WAIT); // the publisher has decided what follows e0: nothing, the second is reserved
            bus.expectNothing();
            dropped.cancel();
            ChannelEvent last = (ChannelEvent) EventCodec.decode(bus.next());
            assertEquals("e1", last.data());
            assertEquals(last.seq(), third.published().await().atMost(WAIT));
        }
        assertEquals(0, publisher.queued());
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        EventPublisher publisher = publisher(redis, Map.of("presence.events.publisher.max-queued", "2"));
        String channel = "private-" + UUID.randomUUID();
        publisher.reserve("app", channel);
        publisher.reserve("app", channel);
        assertFalse(publisher.hasRoom(1));
        assertThrows(EventPublisher.Refused.class, () -> publisher.reserve("app", channel));
        assertThrows(EventPublisher.Refused.class,
                () -> publisher.publish("app", channel, ChannelEvent.server("n", "c", null)).await().atMost(WAIT));
    }

    @Test
    void eventsPublishedWhileRedisIsDownGoOutInOrderOnceItIsBack() throws Exception {
        RequiredTool.require(RedisProcess.available(), "redis-server", "apt-get install redis-server");
        try (RedisProcess server = RedisProcess.start(Path.of("target", "redis-outage-" + UUID.randomUUID()).toAbsolutePath());
             TestRedis own = TestRedis.at(server.endpoint().url())) {
            MeterRegistry metrics = new SimpleMeterRegistry();
            EventPublisher publisher = publisher(own, Map.of("presence.events.publisher.max-batch", "5"), metrics);
            String channel = "private-" + UUID.randomUUID();
            ChannelKeys keys = own.storeConfig().schema().channel("app", channel);
            List<Uni<Long>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                if (i == 10) {
                    // the first ten were taken by Redis: the path works; now it goes away
                    Uni.join().all(sent).andFailFast().await().atMost(WAIT);
                    server.kill();
                }
                sent.add(publisher.publish("app", channel, ChannelEvent.server("n", "e" + i, null)).memoize().indefinitely());
                sent.get(i).subscribe().with(seq -> { }, err -> { });
            }
            // a call for the waiting events has failed and is being retried: they are provably held while Redis is away
            await().atMost(WAIT).until(() -> metrics.counter("events.publish.retries").count() >= 1);
            assertEquals(30, publisher.queued(), "nothing is lost while Redis is away");
            server.start();
            List<Long> seqs = Uni.join().all(sent).andFailFast().await().atMost(WAIT);
            Response stream = own.call(Command.XRANGE, keys.events(), "-", "+");
            assertEquals(30, stream.size(), "each event stored once (the restarted Redis starts empty)");
            for (int i = 10; i < 40; i++) {
                ChannelEvent event = (ChannelEvent) EventCodec.decode(stream.get(i - 10).get(1).get(1).toString());
                assertEquals("e" + i, event.data());
                assertEquals(seqs.get(i), event.seq());
                if (i > 10) {
                    assertEquals(seqs.get(i - 1) + 1, seqs.get(i));
                }
            }
        }
    }
}
