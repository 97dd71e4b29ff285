package io.presence.common.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How events are sequenced, kept for replay and published (PRESENCE_EVENTS_* variables); shared by every service. */
@ConfigMapping(prefix = "presence.events")
public interface EventsConfig {

    /** How long a channel's sequence counter, stored events and recent ids live after its last event. */
    @WithDefault("1d")
    Duration sequenceTtl();

    /** How long a gateway waits before announcing a departure it only found while repairing a gap (members re-registering after Redis lost its data come back within it). */
    @WithDefault("5s")
    Duration repairRemovalGrace();

    /**
     * How events travel between services and gateways: {@code sharded} (SPUBLISH/SSUBSCRIBE, Redis 7: an event reaches
     * only the Redis Cluster shard that owns its channel) or {@code classic} (PUBLISH/SUBSCRIBE: every node hears every
     * event); by default sharded exactly when {@code quarkus.redis.client-type} is {@code cluster}. Control commands
     * always go by classic PUBLISH, to every gateway.
     */
    @WithDefault("${quarkus.redis.client-type:standalone}")
    String pubsub();

    /** Whether events go by sharded pub/sub (see {@link #pubsub()}). */
    default boolean sharded() {
        return switch (pubsub().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sharded", "cluster" -> true;
            default -> false;
        };
    }

    /** The publisher: its queue, batches and retries. */
    Publisher publisher();

    /** Settings of the event publisher. */
    interface Publisher {

        /** Most events waiting to be published (each is retried until Redis takes it); beyond it publishing fails at once (backpressure). */
        @WithDefault("100000")
        int maxQueued();

        /** Most events of one channel sent in one script call. */
        @WithDefault("64")
        int maxBatch();

        /** Most script calls in flight at once, across channels. */
        @WithDefault("32")
        int maxInFlight();

        /** First wait before retrying a failed publish; doubled on each failure up to {@link #maxBackoff()}. */
        @WithDefault("50ms")
        Duration initialBackoff();

        /** Longest wait between retries. */
        @WithDefault("2s")
        Duration maxBackoff();
    }
}
