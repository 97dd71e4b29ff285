package io.presence.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.event.EventPublisher;
import io.presence.common.store.PresenceSchema;
import io.presence.common.redis.TestRedis;
import io.presence.common.testing.RequiredTool;
import io.presence.infra.RedisCluster;
import io.presence.infra.RedisProcess;
import io.vertx.mutiny.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The broker contract on sharded pub/sub, on a three-master Redis Cluster; the bus is cut with CLIENT KILL on every node. */
class ShardedRedisBrokerTest extends BrokerContract {

    private static RedisCluster cluster;
    private static TestRedis redis;
    private static Vertx vertx;
    private static EventPublisher publisher;

    @BeforeAll
    static void startCluster() throws Exception {
        RequiredTool.require(RedisCluster.available(), "redis-server and redis-cli", "apt-get install redis-server");
        cluster = RedisCluster.start(Path.of("target", "redis-broker-contract-" + ProcessHandle.current().pid()).toAbsolutePath(), 3, 0);
        redis = TestRedis.cluster(cluster.urls());
        vertx = Vertx.vertx();
        publisher = new EventPublisher(redis.redis(), redis.storeConfig(), redis.eventsConfig(Map.of("presence.events.pubsub", "sharded")), io.presence.common.redis.TestRedis.RETENTION,
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    Broker create(String clientName) {
        return new ShardedRedisBroker(vertx, cluster.urls(), Optional.empty(), schema().control(), clientName, publisher, redis.redis());
    }

    @Override
    PresenceSchema schema() {
        return redis.storeConfig().schema();
    }

    /** The control connection and the shard of the one listened channel: two connections, each restored once. */
    @Override
    int cut(Broker broker, String clientName) throws Exception {
        List<String[]> kills = new ArrayList<>();
        for (RedisProcess node : cluster.nodes()) {
            for (String id : idsNamed(RedisCluster.cli(node.port(), "CLIENT", "LIST"), clientName)) {
                kills.add(new String[] {Integer.toString(node.port()), id});
            }
        }
        assertEquals(2, kills.size(), "the control connection and one shard's");
        for (String[] kill : kills) {
            RedisCluster.cli(Integer.parseInt(kill[0]), "CLIENT", "KILL", "ID", kill[1]);
        }
        return 2;
    }

    /** A channel whose slot lives on the same master, so its events come on the same shard connection. */
    @Override
    String channelBeside(String channel) throws Exception {
        int master = cluster.masterOf(bus(channel)).port();
        while (true) {
            String candidate = newChannel();
            if (cluster.masterOf(bus(candidate)).port() == master) {
                return candidate;
            }
        }
    }
}
