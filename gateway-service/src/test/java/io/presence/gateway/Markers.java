package io.presence.gateway;

import io.presence.common.event.ChannelEvent;
import io.presence.common.event.EventPublisher;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * Barriers for the gateway's tests: a marker is a server event numbered in a channel's order after whatever must not
 * reach a subscriber before it, so reading up to the marker shows all that came, without waiting for silence.
 */
@ApplicationScoped
public class Markers {

    /** Ceiling for what must happen: generous for a busy machine, only a failing test waits it out. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final AtomicLong count = new AtomicLong();
    private final EventPublisher publisher;
    private final RedisDataSource redis;
    private final PresenceStoreConfig store;

    public Markers(EventPublisher publisher, RedisDataSource redis, PresenceStoreConfig store) {
        this.publisher = publisher;
        this.redis = redis;
        this.store = store;
    }

    /** Publishes a new marker on a channel of the development app once everything numbered before it; answers its event. */
    public String publish(String channel) {
        String event = "test-marker-" + count.incrementAndGet();
        publisher.publish("app-id", channel, ChannelEvent.server(event, "{}", null)).await().atMost(WAIT);
        return event;
    }

    /**
     * Waits until a presence channel holds this many connections: every leave before is done, and the member_removed
     * it announced, if any, numbered (the leave script does both at once).
     */
    public void awaitConnections(String channel, long connections) {
        String key = store.schema().channel("app-id", channel).conns();
        Awaitility.await().atMost(WAIT).until(() -> redis.hash(String.class).hlen(key) == connections);
    }
}
