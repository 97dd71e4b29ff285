package io.presence.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.presence.common.redis.ClusterSlots;
import io.presence.infra.RedisCluster;
import io.presence.infra.RedisProcess;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On a three-master Redis Cluster: a shard subscription follows its channel when the slot moves to another master. */
class ShardedBusClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisCluster cluster;
    private static Vertx vertx;
    private static Redis client;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(RedisCluster.available(), "redis-server and redis-cli are needed for a local cluster");
        cluster = RedisCluster.start(Path.of("target", "redis-sharded-bus-" + ProcessHandle.current().pid()).toAbsolutePath(), 3, 0);
        vertx = Vertx.vertx();
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        cluster.urls().forEach(options::addConnectionString);
        client = Redis.createClient(vertx, options);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSubscriptionFollowsItsSlotToAnotherMasterAndTheRestoreListenersRun() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        AtomicInteger restored = new AtomicInteger();
        ShardedBus bus = new ShardedBus(vertx, client, url -> new RedisOptions().setConnectionString(url), cluster.urls().get(0),
                "sharded-bus-test", push -> {
                    if ("smessage".equals(push.get(0).toString())) {
                        received.add(push.get(2).toString());
                    }
                }, restored::incrementAndGet);
        String channel = "t:{app:moving}:bus";
        bus.listen(channel).await().atMost(WAIT);
        spublish(channel, "before");
        assertEquals("before", received.poll(5, TimeUnit.SECONDS));
        assertEquals(1, bus.shardCount(), "one connection, to the channel's master");

        RedisProcess source = cluster.masterOf(channel);
        RedisProcess target = cluster.nodes().stream().filter(n -> n != source).findFirst().orElseThrow();
        moveSlot(ClusterSlots.of(channel), source, target);
        long deadline = System.currentTimeMillis() + 10_000;
        while (restored.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, restored.get(), "Redis dropped the subscription (sunsubscribe): subscribed again, then restored");
        assertEquals("1", shardSubscribers(target, channel), "now on the slot's new master");
        assertEquals("0", shardSubscribers(source, channel));
        spublish(channel, "after");
        assertEquals("after", received.poll(5, TimeUnit.SECONDS));
        assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "each once");

        bus.stopListening(channel);
        deadline = System.currentTimeMillis() + 5_000;
        while (bus.shardCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, bus.shardCount(), "no connection to a master without subscribed channels");
        bus.stop();
    }

    private static void spublish(String channel, String message) {
        Response receivers = client.send(Request.cmd(Command.SPUBLISH).arg(channel).arg(message)).await().atMost(WAIT);
        assertNotEquals(0, receivers.toInteger(), "someone listens on " + channel);
    }

    private static String shardSubscribers(RedisProcess node, String channel) throws Exception {
        return RedisCluster.cli(node.port(), "PUBSUB", "SHARDNUMSUB", channel).lines().toList().get(1).trim();
    }

    /** Moves an empty slot from one master to another, the way a resharding tool does. */
    private static void moveSlot(int slot, RedisProcess source, RedisProcess target) throws Exception {
        String sourceId = RedisCluster.cli(source.port(), "CLUSTER", "MYID").trim();
        String targetId = RedisCluster.cli(target.port(), "CLUSTER", "MYID").trim();
        String s = Integer.toString(slot);
        assertTrue(RedisCluster.cli(target.port(), "CLUSTER", "SETSLOT", s, "IMPORTING", sourceId).startsWith("OK"));
        assertTrue(RedisCluster.cli(source.port(), "CLUSTER", "SETSLOT", s, "MIGRATING", targetId).startsWith("OK"));
        RedisCluster.cli(target.port(), "CLUSTER", "SETSLOT", s, "NODE", targetId);
        RedisCluster.cli(source.port(), "CLUSTER", "SETSLOT", s, "NODE", targetId);
        for (RedisProcess other : cluster.nodes()) {
            if (other != source && other != target) {
                RedisCluster.cli(other.port(), "CLUSTER", "SETSLOT", s, "NODE", targetId);
            }
        }
    }
}
