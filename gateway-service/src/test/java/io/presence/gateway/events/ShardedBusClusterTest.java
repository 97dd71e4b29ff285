package io.presence.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.redis.ClusterSlots;
import io.presence.common.testing.RequiredTool;
import io.presence.gateway.Markers;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On a three-master Redis Cluster: a shard subscription follows its channel when the slot moves to another master. */
class ShardedBusClusterTest {

    private static RedisCluster cluster;
    private static Vertx vertx;
    private static Redis client;

    @BeforeAll
    static void startCluster() throws Exception {
        RequiredTool.require(RedisCluster.available(), "redis-server and redis-cli", "apt-get install redis-server");
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
        CountDownLatch firstRestore = new CountDownLatch(1);
        ShardedBus bus = new ShardedBus(vertx, client, url -> new RedisOptions().setConnectionString(url), cluster.urls().get(0),
                "sharded-bus-test", push -> {
                    if ("smessage".equals(push.get(0).toString())) {
                        received.add(push.get(2).toString());
                    }
                }, () -> {
                    restored.incrementAndGet();
                    firstRestore.countDown();
                });
        String channel = "t:{app:moving}:bus";
        bus.listen(channel).await().atMost(Markers.WAIT);
        spublish(channel, "before");
        assertEquals("before", next(received));
        assertEquals(1, bus.shardCount(), "one connection, to the channel's master");

        RedisProcess source = cluster.masterOf(channel);
        RedisProcess target = cluster.nodes().stream().filter(n -> n != source).findFirst().orElseThrow();
        moveSlot(ClusterSlots.of(channel), source, target);
        assertTrue(firstRestore.await(Markers.WAIT.toSeconds(), TimeUnit.SECONDS),
                "Redis dropped the subscription (sunsubscribe): subscribed again, then restored");
        assertEquals("1", shardSubscribers(target, channel), "now on the slot's new master");
        assertEquals("0", shardSubscribers(source, channel));
        spublish(channel, "after");
        spublish(channel, "marker"); // one shard channel delivers in order: what came before the marker is all there is
        assertEquals(List.of("after", "marker"), List.of(next(received), next(received)), "each once");
        assertEquals(1, restored.get(), "restored once");

        bus.stopListening(channel);
        // no connection to a master without subscribed channels
        Awaitility.await().atMost(Markers.WAIT).until(() -> bus.shardCount() == 0);
        bus.stop();
    }

    private static String next(BlockingQueue<String> received) throws InterruptedException {
        String message = received.poll(Markers.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(message, "no message within " + Markers.WAIT);
        return message;
    }

    private static void spublish(String channel, String message) {
        Response receivers = client.send(Request.cmd(Command.SPUBLISH).arg(channel).arg(message)).await().atMost(Markers.WAIT);
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
