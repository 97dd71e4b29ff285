package io.presence.presence.service;

import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.ChannelSubscribers;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.presence.Watchlists;
import io.presence.common.redis.RedisCalls;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Removes the presence of gateways that died. Every gateway keeps a lease in Redis and lists its presence
 * connections; when a lease expires (the process was killed, or cut off from Redis), this reaper claims the node and
 * has {@link ChannelPresence} remove each of its connections with the same atomic leave a gateway uses, which
 * announces every member left without a connection and records last seen, and {@link ChannelSubscribers} take its
 * subscribers off every channel's count (channel_vacated where none are left). Several presence-service replicas may run
 * it: claiming a dead node is a ZREM, which only one of them wins, so a reap is never announced twice. A node that
 * comes back after being reaped re-registers its connections itself.
 */
@ApplicationScoped
public class NodeReaper {

    private static final Logger LOG = Logger.getLogger(NodeReaper.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RedisDataSource redis;
    private final PresenceSchema schema;
    private final ChannelPresence presence;
    private final ChannelSubscribers subscribers;
    private final Watchlists watchlists;

    public NodeReaper(RedisDataSource redis, PresenceStoreConfig config, ChannelPresence presence, ChannelSubscribers subscribers,
                      Watchlists watchlists) {
        this.redis = redis;
        this.schema = config.schema();
        this.presence = presence;
        this.subscribers = subscribers;
        this.watchlists = watchlists;
    }

    // delayed: a pass that starts while Quarkus still creates the Redis client fails it (seen under load)
    @Scheduled(every = "${presence.store.reaper-interval:1s}", delayed = "2s", concurrentExecution = ConcurrentExecution.SKIP)
    void reapSafely() {
        try {
            reap();
        } catch (RuntimeException e) {
            LOG.warnf("reaper pass failed (will retry): %s", e.toString());
        }
    }

    /** One pass: every node whose lease expired loses its connections. Returns the number of members removed. */
    public int reap() {
        Response expired = redis.execute("ZRANGEBYSCORE", schema.nodes(), "-inf", Long.toString(System.currentTimeMillis()));
        int removed = 0;
        for (String node : RedisCalls.strings(expired)) {
            if (redis.execute("EXISTS", schema.nodeLease(node)).toLong() == 1) {
                continue; // renewed just now; its next renewal moves the expiry forward
            }
            if (redis.execute("ZREM", schema.nodes(), node).toLong() != 1) {
                continue; // another replica claimed it
            }
            removed += presence.reap(node).await().atMost(WAIT);
            watchlists.reap(node).await().atMost(WAIT);
            subscribers.reap(node).await().atMost(WAIT);
        }
        return removed;
    }
}
