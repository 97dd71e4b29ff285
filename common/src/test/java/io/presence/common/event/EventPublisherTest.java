package io.presence.common.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.presence.PresenceSchema.ChannelKeys;
import io.presence.common.redis.TestRedis;
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

    private static final Duration WAIT = Duration.ofSeconds(20);
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
        return new EventPublisher(on.redis(), on.storeConfig(), on.eventsConfig(settings), new SimpleMeterRegistry());
    }

    private static List<Long> decodedSeqs(TestRedis.Listener bus, int count) throws InterruptedException {
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
            bus.expectNothing(200);
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
            bus.expectNothing(300);
            first.release(ChannelEvent.server("n", "e0", null));
            assertEquals("e0", ((ChannelEvent) EventCodec.decode(bus.next())).data());
            bus.expectNothing(300);
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
        assumeTrue(RedisProcess.available(), "needs redis-server to stop and start a private Redis");
        try (RedisProcess server = RedisProcess.start(Path.of("target", "redis-outage-" + UUID.randomUUID()).toAbsolutePath());
             TestRedis own = TestRedis.at(server.endpoint().url())) {
            EventPublisher publisher = publisher(own, Map.of("presence.events.publisher.max-batch", "5"));
            String channel = "private-" + UUID.randomUUID();
            ChannelKeys keys = own.storeConfig().schema().channel("app", channel);
            server.kill();
            List<Uni<Long>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(publisher.publish("app", channel, ChannelEvent.server("n", "e" + i, null)).memoize().indefinitely());
                sent.get(i).subscribe().with(seq -> { }, err -> { });
            }
            Thread.sleep(1_000);
            assertEquals(40, publisher.queued(), "nothing is lost while Redis is away");
            server.start();
            List<Long> seqs = Uni.join().all(sent).andFailFast().await().atMost(WAIT);
            Response stream = own.call(Command.XRANGE, keys.events(), "-", "+");
            assertEquals(40, stream.size(), "each event stored once");
            for (int i = 0; i < 40; i++) {
                ChannelEvent event = (ChannelEvent) EventCodec.decode(stream.get(i).get(1).get(1).toString());
                assertEquals("e" + i, event.data());
                assertEquals(seqs.get(i), event.seq());
                if (i > 0) {
                    assertEquals(seqs.get(i - 1) + 1, seqs.get(i));
                }
            }
        }
    }
}
