package io.presence.gateway.presence;

import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * This gateway's lease in Redis. Renewed every few seconds; while it lives, presence-service leaves this node's
 * connections alone. If this process dies, the lease expires and the reaper removes its connections. If the
 * lease is found missing while this process lives (Redis restarted empty, or a long pause let it expire), the
 * node registers again and re-joins every presence connection it holds, so clients need not reconnect.
 */
@ApplicationScoped
public class NodeLease {

    private static final Logger LOG = Logger.getLogger(NodeLease.class);

    private final ReactiveRedisDataSource redis;
    private final PresenceSchema schema;
    private final PresenceStoreConfig config;
    private final NodeIdentity node;
    private final Vertx vertx;
    private volatile Supplier<Uni<Void>> rejoin = () -> Uni.createFrom().voidItem();
    private volatile boolean registered;
    private long timer = -1;

    public NodeLease(ReactiveRedisDataSource redis, PresenceStoreConfig config, NodeIdentity node, Vertx vertx) {
        this.redis = redis;
        this.schema = config.schema();
        this.config = config;
        this.node = node;
        this.vertx = vertx;
    }

    /** What to run after the lease had to be taken again: re-join the presence connections of this node. */
    public void onReRegistration(Supplier<Uni<Void>> rejoin) {
        this.rejoin = rejoin;
    }

    void start(@Observes StartupEvent event) {
        renew();
        timer = vertx.setPeriodic(config.leaseRenewal().toMillis(), id -> renew());
    }

    /** Renews the lease now, taking it again (and re-joining this node's presence) if it was lost. */
    public void renew() {
        String ttl = Long.toString(config.leaseTtl().toMillis());
        String expiry = Long.toString(System.currentTimeMillis() + config.leaseTtl().toMillis());
        redis.execute("SET", schema.nodeLease(node.id()), "1", "PX", ttl, "XX")
                .chain(renewed -> {
                    if (renewed != null) {
                        return redis.execute("ZADD", schema.nodes(), expiry, node.id()).replaceWithVoid();
                    }
                    boolean again = registered;
                    return redis.execute("SET", schema.nodeLease(node.id()), "1", "PX", ttl)
                            .chain(() -> redis.execute("ZADD", schema.nodes(), expiry, node.id()))
                            .invoke(() -> {
                                registered = true;
                                if (again) {
                                    LOG.warnf("node %s lost its lease (Redis restarted or this node stalled); re-registering its presence", node.id());
                                }
                            })
                            .chain(() -> again ? rejoin.get() : Uni.createFrom().voidItem());
                })
                .subscribe().with(ok -> { }, err -> LOG.warnf("renewing node lease failed: %s", err.toString()));
    }

    /** Stops renewing; the sockets closed on shutdown leave their channels, and the lease simply expires. */
    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public String nodeId() {
        return node.id();
    }
}
