package io.presence.presence.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.presence.BusMessage;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.UserStatus;
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

    @Inject
    UserPresenceStore users;

    /** What a gateway does on a join: on its node, on the user, in the channel. */
    private void join(PresenceSchema schema, String node, String channel, String connection, String user, String info) {
        String entry = PresenceSchema.nodeEntry("app", channel, connection);
        redis.execute("SADD", schema.nodeConnections(node), entry);
        users.connect(user, entry, UserStatus.DEFAULT).await().atMost(Duration.ofSeconds(5));
        String[] keys = schema.channelKeys("app", channel);
        redis.execute("EVAL", PresenceSchema.JOIN_SCRIPT, "3", keys[0], keys[1], keys[2], connection, user, info, "100");
    }

    @Test
    void expiredNodesLoseTheirMembersLiveOnesDoNot() {
        PresenceSchema schema = config.schema();
        String channel = "presence-reap-" + UUID.randomUUID();
        String dead = "gw-dead-" + UUID.randomUUID();
        String live = "gw-live-" + UUID.randomUUID();
        String ana = "ana-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String cy = "cy-" + UUID.randomUUID();
        String dee = "dee-" + UUID.randomUUID();
        join(schema, dead, channel, "d1", ana, "{}");
        join(schema, dead, channel, "d2", ana, "{}");
        join(schema, dead, channel, "d3", bob, "{}");
        join(schema, dead, channel, "d4", dee, "{\"status\":\"invisible\"}");
        join(schema, live, channel, "l1", bob, "{}");
        join(schema, live, channel, "l2", cy, "{}");
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
            BusMessage removed = BusMessage.decode(heard.get(0));
            assertEquals(BusMessage.Audience.ALL, removed.audience(), "sent to every subscriber");
            assertEquals("", removed.exceptSocketId());
            assertEquals(PresenceSchema.memberRemovedFrame(channel, ana), removed.frame());
            // dee was invisible: nobody saw her, so nobody is told she left

            String[] keys = schema.channelKeys("app", channel);
            assertEquals(List.of(bob, cy).stream().sorted().toList(), redis.hash(String.class).hkeys(keys[1]).stream().sorted().toList());
            assertEquals("1", redis.hash(String.class).hget(keys[1], bob), "bob keeps only his live connection");
            UserPresenceStore.Snapshot anaNow = users.snapshot(ana).await().atMost(Duration.ofSeconds(5));
            assertEquals(0, anaNow.connections());
            assertTrue(anaNow.lastSeen() >= past, "ana was last seen when her gateway was reaped");
            assertEquals(1, users.snapshot(bob).await().atMost(Duration.ofSeconds(5)).connections());
            assertEquals(0, redis.key().exists(schema.nodeConnections(dead)) ? 1 : 0);
            assertEquals(2, redis.set(String.class).scard(schema.nodeConnections(live)));
        } finally {
            subscriber.unsubscribe();
            redis.execute("ZREM", schema.nodes(), live);
        }
    }
}
