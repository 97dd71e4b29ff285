package io.presence.gateway.presence;

import io.presence.common.presence.PresenceSchema;
import io.presence.common.redis.RedisHashes;
import io.presence.common.presence.PresenceStoreConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.presence.common.redis.RedisScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Which channels have subscribers anywhere, and how many: each gateway counts its own subscribers per channel in
 * {@code <prefix>:node:{node}:subs}; answers add up the hashes of the nodes whose lease is alive.
 */
@ApplicationScoped
public class Occupancy {

    private static final Logger LOG = Logger.getLogger(Occupancy.class);

    private static final RedisScript COUNT = RedisScript.load("count.lua");

    private final ReactiveRedisDataSource redis;
    private final Redis client;
    private final PresenceSchema schema;
    private final NodeIdentity node;

    public Occupancy(ReactiveRedisDataSource redis, Redis client, PresenceStoreConfig config, NodeIdentity node) {
        this.redis = redis;
        this.client = client;
        this.schema = config.schema();
        this.node = node;
    }

    /** Records one more (+1) or one fewer (-1) local subscriber of a channel; fire and forget. */
    public void count(String appId, String channel, int delta) {
        COUNT.run(client, List.of(schema.nodeSubscriptions(node.id())),
                        List.of(PresenceSchema.subscriptionField(appId, channel), Integer.toString(delta)))
                .subscribe().with(ok -> { }, err -> LOG.warnf("occupancy of %s not updated: %s", channel, err.toString()));
    }

    /** Replaces this node's counts, after its lease had to be taken again. */
    public Uni<Void> replace(Map<String, Integer> countsByField) {
        Uni<Response> cleared = redis.execute("DEL", schema.nodeSubscriptions(node.id()));
        if (countsByField.isEmpty()) {
            return cleared.replaceWithVoid();
        }
        List<String> args = new ArrayList<>();
        args.add(schema.nodeSubscriptions(node.id()));
        countsByField.forEach((field, n) -> {
            args.add(field);
            args.add(Integer.toString(n));
        });
        return cleared.chain(() -> redis.execute("HSET", args.toArray(String[]::new))).replaceWithVoid();
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
