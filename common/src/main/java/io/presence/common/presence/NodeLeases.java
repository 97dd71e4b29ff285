package io.presence.common.presence;

import io.presence.common.redis.RedisCalls;
import io.presence.common.redis.RedisScript;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * The one owner of gateway leases in Redis: gateways renew (or take again) theirs, presence-service finds the expired
 * ones and claims each dead node for exactly one reaper. The lease and the claim share the node's slot, so taking the
 * lease and claiming the node exclude each other atomically: a reap never runs while its node registers again.
 */
@ApplicationScoped
public class NodeLeases {

    private static final RedisScript LEASE = RedisScript.load("lease.lua");
    private static final RedisScript CLAIM = RedisScript.load("reap_claim.lua");

    /** What a renewal found. */
    public enum Renewal {
        /** The lease was alive and lives on. */
        RENEWED,
        /** The lease had expired and is taken again: the node must register its connections again. */
        TAKEN,
        /** The lease had expired and a reaper is removing the node: try again at the next renewal. */
        BEING_REAPED
    }

    private final Redis redis;
    private final PresenceSchema schema;

    public NodeLeases(Redis redis, PresenceStoreConfig config) {
        this.redis = redis;
        this.schema = config.schema();
    }

    /** Renews a node's lease for {@code ttl} (or takes it again) and lists the node with its new expiry for reapers. */
    public Uni<Renewal> renew(String node, Duration ttl) {
        String expiry = Long.toString(System.currentTimeMillis() + ttl.toMillis());
        return LEASE.run(redis, List.of(schema.nodeLease(node), schema.nodeReaper(node)), List.of(Long.toString(ttl.toMillis())))
                .chain(reply -> {
                    Renewal renewal = switch (reply.toInteger()) {
                        case 1 -> Renewal.RENEWED;
                        case 0 -> Renewal.TAKEN;
                        default -> Renewal.BEING_REAPED;
                    };
                    return renewal == Renewal.BEING_REAPED ? Uni.createFrom().item(renewal)
                            : RedisCalls.send(redis, Command.ZADD, schema.nodes(), expiry, node).replaceWith(renewal);
                });
    }

    /** The nodes whose listed lease expiry has passed (their lease may have been renewed since: claim checks). */
    public Uni<List<String>> expired() {
        return RedisCalls.send(redis, Command.ZRANGEBYSCORE, schema.nodes(), "-inf", Long.toString(System.currentTimeMillis()))
                .map(RedisCalls::strings);
    }

    /**
     * Claims a dead node for one reaper for {@code ttl}: true only when its lease is gone and no other reaper holds
     * it. A reaper that dies mid-reap loses the claim after {@code ttl}, and the next one finishes the reap (removing
     * a connection twice announces nothing twice).
     */
    public Uni<Boolean> claim(String node, String reaper, Duration ttl) {
        return CLAIM.run(redis, List.of(schema.nodeLease(node), schema.nodeReaper(node)), List.of(reaper, Long.toString(ttl.toMillis())))
                .map(reply -> reply.toInteger() == 1);
    }

    /** After a finished reap: the node leaves the list, then the claim goes, so the node may register again. */
    public Uni<Void> reaped(String node) {
        return RedisCalls.send(redis, Command.ZREM, schema.nodes(), node)
                .chain(() -> RedisCalls.send(redis, Command.DEL, schema.nodeReaper(node)))
                .replaceWithVoid();
    }
}
