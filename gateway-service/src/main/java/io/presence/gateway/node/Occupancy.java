package io.presence.gateway.node;

import io.presence.common.presence.ChannelSubscribers;
import io.presence.common.redis.RedisHashes;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * This gateway's side of the subscriber counts ({@link ChannelSubscribers}): it counts each local subscription in and
 * out, sends a channel's pending subscription count once its interval has passed, and answers which channels have
 * subscribers anywhere (adding up the counts of the gateways whose lease is alive).
 */
@ApplicationScoped
public class Occupancy {

    private static final Logger LOG = Logger.getLogger(Occupancy.class);

    private final ChannelSubscribers subscribers;
    private final ReactiveRedisDataSource redis;
    private final PresenceSchema schema;
    private final NodeIdentity node;
    private final Vertx vertx;

    public Occupancy(ChannelSubscribers subscribers, ReactiveRedisDataSource redis, PresenceStoreConfig config, NodeIdentity node,
                     Vertx vertx) {
        this.subscribers = subscribers;
        this.redis = redis;
        this.schema = config.schema();
        this.node = node;
        this.vertx = vertx;
    }

    /** Records one more (+1) or one fewer (-1) local subscriber of a channel; fire and forget. */
    public void count(String appId, String channel, int delta) {
        subscribers.change(node.id(), appId, channel, delta).subscribe().with(counted -> flushLater(appId, channel, counted),
                err -> LOG.warnf("occupancy of %s not updated: %s", channel, err.toString()));
    }

    private void flushLater(String appId, String channel, ChannelSubscribers.Counted counted) {
        if (counted.waitMillis() > 0) {
            vertx.setTimer(counted.waitMillis(), id -> subscribers.flush(appId, channel).subscribe().with(
                    again -> flushLater(appId, channel, again),
                    err -> LOG.debugf("subscription count of %s not sent: %s", channel, err.toString())));
        }
    }

    /** Counts again every local subscription, after this node's lease had to be taken again. */
    public Uni<Void> replace(Map<String, Integer> countsByField) {
        return subscribers.restore(node.id(), countsByField);
    }

    /** The channel's subscribers on every gateway. */
    public Uni<Integer> subscriptionCount(String appId, String channel) {
        return subscribers.count(appId, channel);
    }

    /** Subscriber counts of the app's occupied channels, across all live gateways, by channel name. */
    public Uni<Map<String, Integer>> occupied(String appId) {
        return liveNodes().chain(nodes -> {
            List<Uni<Response>> reads = new ArrayList<>();
            for (String n : nodes) {
                reads.add(redis.execute("HGETALL", schema.nodeSubscriptions(n)));
            }
            if (reads.isEmpty()) {
                return Uni.createFrom().item(Map.<String, Integer>of());
            }
            return Uni.join().all(reads).andFailFast().map(hashes -> {
                Map<String, Integer> total = new TreeMap<>();
                String appPrefix = PresenceSchema.subscriptionField(appId, "");
                for (Response hash : hashes) {
                    RedisHashes.forEach(hash, (field, value) -> {
                        if (field.startsWith(appPrefix)) {
                            total.merge(field.substring(appPrefix.length()), Integer.parseInt(value), Integer::sum);
                        }
                    });
                }
                return total;
            });
        });
    }

    private Uni<List<String>> liveNodes() {
        return redis.execute("ZRANGEBYSCORE", schema.nodes(), Long.toString(System.currentTimeMillis()), "+inf")
                .map(r -> {
                    List<String> nodes = new ArrayList<>();
                    if (r != null) {
                        r.forEach(item -> nodes.add(item.toString()));
                    }
                    return nodes;
                });
    }
}
