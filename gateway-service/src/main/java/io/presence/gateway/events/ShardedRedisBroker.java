package io.presence.gateway.events;

import io.presence.common.event.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.util.List;
import java.util.Optional;

/**
 * The broker on sharded Redis pub/sub (Redis Cluster, Redis 7): the control channel stays on a classic SUBSCRIBE
 * connection (commands go by PUBLISH, to every node), and the bus channels are SSUBSCRIBEd on the masters that own
 * them ({@link ShardedBus}).
 */
final class ShardedRedisBroker extends RedisBroker {

    private final ShardedBus shards;

    /** @param cluster the service's cluster client, which asks some node for CLUSTER SLOTS */
    ShardedRedisBroker(Vertx vertx, List<String> hosts, Optional<String> password, String control, String clientName,
                       EventPublisher publisher, Redis cluster) {
        super(vertx, hosts, password, control, clientName, publisher);
        this.shards = new ShardedBus(vertx, cluster, url -> options(url, password), hosts.get(0), clientName, this::onMessage,
                this::restored);
    }

    @Override
    public Uni<Void> listen(String bus) {
        return shards.listen(bus);
    }

    @Override
    public void stopListening(String bus) {
        shards.stopListening(bus);
    }

    @Override
    boolean listens(String bus) {
        return shards.listens(bus);
    }

    @Override
    public void close() {
        shards.stop();
        super.close();
    }
}
