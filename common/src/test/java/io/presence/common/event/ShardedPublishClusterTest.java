package io.presence.common.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.redis.ClusterSlots;
import io.presence.common.redis.TestRedis;
import io.presence.common.testing.Inbox;
import io.presence.common.testing.RequiredTool;
import io.presence.infra.RedisCluster;
import io.presence.infra.RedisProcess;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On a three-master Redis Cluster with sharded pub/sub, the publish and presence scripts SPUBLISH in their own slot. */
class ShardedPublishClusterTest {

    private static final Duration WAIT = Inbox.CEILING;
    private static RedisCluster cluster;
    private static TestRedis redis;
    private static Vertx vertx;

    @BeforeAll
    static void startCluster() throws Exception {
        RequiredTool.require(RedisCluster.available(), "redis-server and redis-cli", "apt-get install redis-server");
        cluster = RedisCluster.start(Path.of("target", "redis-sharded-" + ProcessHandle.current().pid()).toAbsolutePath(), 3, 0);
        redis = TestRedis.cluster(cluster.urls());
        vertx = Vertx.vertx();
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

    @Test
    void eventsAndMemberEventsGoBySpublishToTheOwningShardOnly() throws Exception {
        EventsConfig sharded = redis.eventsConfig(Map.of("presence.events.pubsub", "sharded"));
        EventPublisher publisher = new EventPublisher(redis.redis(), redis.storeConfig(), sharded, io.presence.common.redis.TestRedis.RETENTION, new SimpleMeterRegistry());
        ChannelPresence presence = new ChannelPresence(redis.redis(), redis.storeConfig(), sharded, io.presence.common.redis.TestRedis.RETENTION, redis.userStore(), redis.webhookQueue());
        String channel = "presence-" + UUID.randomUUID();
        String bus = redis.storeConfig().schema().busChannel("app", channel);
        RedisProcess owner = cluster.masterOf(bus);
        for (String key : List.of(bus, "foo", "{}x", "a{b}c{d}", "{{x}}")) {
            assertEquals(RedisCluster.cli(owner.port(), "CLUSTER", "KEYSLOT", key).trim(), Integer.toString(ClusterSlots.of(key)), key);
        }
        BlockingQueue<Response> pushes = new LinkedBlockingQueue<>();
        RedisConnection shard = Redis.createClient(vertx, new RedisOptions().setConnectionString(owner.endpoint().url()))
                .connect().await().atMost(WAIT);
        shard.handler(pushes::add);
        shard.send(Request.cmd(Command.SSUBSCRIBE).arg(bus)).await().atMost(WAIT);
        try (TestRedis classicRedis = TestRedis.at(owner.endpoint().url()); TestRedis.Listener classic = classicRedis.listen(bus)) {
            assertEquals("1", RedisCluster.cli(owner.port(), "PUBSUB", "SHARDNUMSUB", bus).lines().toList().get(1).trim());

            List<Uni<Long>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(publisher.publish("app", channel, ChannelEvent.server("n", "e" + i, null)));
            }
            List<Long> numbers = Uni.join().all(sent).andFailFast().await().atMost(WAIT);
            presence.join("app", channel, "node-1", "c1", "ana", new ObjectMapper().createObjectNode().put("name", "Ana"), null, 100).await().atMost(WAIT);

            List<Long> received = new ArrayList<>();
            String memberEvent = null;
            while (memberEvent == null) {
                Response push = pushes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(push, "every event arrives on the shard channel");
                if (!"smessage".equals(push.get(0).toString())) {
                    continue; // the ssubscribe confirmation
                }
                assertEquals(bus, push.get(1).toString());
                Event event = EventCodec.decode(push.get(2).toString());
                if (event instanceof ChannelEvent e) {
                    received.add(e.seq());
                } else {
                    memberEvent = push.get(2).toString();
                }
            }
            assertEquals(numbers, received, "each once, in order");
            // the marker is PUBLISHed classically on the owner, where the scripts ran: a classic copy of any event would precede it
            classic.expectNothing();
        } finally {
            shard.close().await().atMost(WAIT);
        }
    }
}
