package io.presence.presence.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.presence.PresenceStores;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A dead gateway's members are removed and announced; a live gateway's are left alone. */
@QuarkusTest
@WithTestResource(PresenceStores.class)
class NodeReaperTest {

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig config;

    @Inject
    NodeReaper reaper;

    private void join(PresenceSchema schema, String node, String channel, String connection, String user) {
        redis.execute("SADD", schema.nodeConnections(node), PresenceSchema.nodeEntry("app", channel, connection));
        String[] keys = schema.channelKeys("app", channel);
        redis.execute("EVAL", PresenceSchema.JOIN_SCRIPT, "3", keys[0], keys[1], keys[2], connection, user, "{}", "100");
    }

    @Test
    void expiredNodesLoseTheirMembersLiveOnesDoNot() {
        PresenceSchema schema = config.schema();
        String channel = "presence-reap-" + UUID.randomUUID();
        String dead = "gw-dead-" + UUID.randomUUID();
        String live = "gw-live-" + UUID.randomUUID();
        join(schema, dead, channel, "d1", "ana");
        join(schema, dead, channel, "d2", "ana");
        join(schema, dead, channel, "d3", "bob");
        join(schema, live, channel, "l1", "bob");
        join(schema, live, channel, "l2", "cy");
        long past = System.currentTimeMillis() - 1000;
        redis.execute("ZADD", schema.nodes(), Long.toString(past), dead);
        redis.execute("ZADD", schema.nodes(), Long.toString(past), live);
        redis.execute("SET", schema.nodeLease(live), "1", "PX", "60000");

        List<String> heard = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class)
                .subscribe(schema.busChannel("app", channel), heard::add);
        try {
            // the scheduled reaper may get there first; either way ana (only on the dead node) goes, bob stays
            reaper.reap();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(1, heard.size(), heard.toString()));
            assertTrue(heard.get(0).startsWith("\n"), "sent to every subscriber");
            assertTrue(heard.get(0).contains("pusher_internal:member_removed") && heard.get(0).contains("ana"), heard.get(0));

            String[] keys = schema.channelKeys("app", channel);
            assertEquals(List.of("bob", "cy"), redis.hash(String.class).hkeys(keys[1]).stream().sorted().toList());
            assertEquals("1", redis.hash(String.class).hget(keys[1], "bob"), "bob keeps only his live connection");
            assertEquals(0, redis.key().exists(schema.nodeConnections(dead)) ? 1 : 0);
            assertEquals(2, redis.set(String.class).scard(schema.nodeConnections(live)));
        } finally {
            subscriber.unsubscribe();
            redis.execute("ZREM", schema.nodes(), live);
        }
    }
}
