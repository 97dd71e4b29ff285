package io.presence.presence.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.presence.common.event.EventCodec;
import io.presence.common.event.MemberEvent;
import io.presence.common.presence.ChannelPresence;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.presence.PresenceStores;
import io.presence.testsupport.FakeUserService;
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

/** A dead gateway's members are removed and announced once; a live gateway's are left alone. */
@QuarkusTest
@WithTestResource(PresenceStores.class)
@WithTestResource(FakeUserService.class) // not called here: the same resources as the other classes, so Quarkus starts once
class NodeReaperTest {

    /** A ceiling only a real failure reaches, even on a busy machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RedisDataSource redis;

    @Inject
    PresenceStoreConfig config;

    @Inject
    NodeReaper reaper;

    @Inject
    ChannelPresence presence;

    @Inject
    UserPresenceStore users;

    private void join(String node, String channel, String connection, String user, JsonNode info) {
        presence.join("app", channel, node, connection, user, info, null, 100).await().atMost(WAIT);
    }

    @Test
    void aNodeClaimedByAnotherReplicaIsLeftToIt() {
        PresenceSchema schema = config.schema();
        String channel = "presence-claimed-" + UUID.randomUUID();
        String node = "gw-claimed-" + UUID.randomUUID();
        String ana = "ana-" + UUID.randomUUID();
        join(node, channel, "c1", ana, JsonNodeFactory.instance.objectNode());
        redis.execute("SET", schema.nodeReaper(node), "another-replica", "PX", "60000");
        redis.execute("ZADD", schema.nodes(), Long.toString(System.currentTimeMillis() - 1000), node);
        try {
            assertEquals(0, reaper.reap());
            assertEquals(List.of(ana), List.copyOf(presence.state("app", channel, true, null).await().atMost(WAIT).members().keySet()),
                    "the other replica removes ana, not this one");
        } finally {
            redis.execute("ZREM", schema.nodes(), node);
            redis.execute("DEL", schema.nodeReaper(node));
        }
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
        JsonNode plain = JsonNodeFactory.instance.objectNode();
        join(dead, channel, "d1", ana, plain);
        join(dead, channel, "d2", ana, plain);
        join(dead, channel, "d3", bob, plain);
        join(dead, channel, "d4", dee, JsonNodeFactory.instance.objectNode().put("status", "invisible"));
        join(live, channel, "l1", bob, plain);
        join(live, channel, "l2", cy, plain);
        long past = System.currentTimeMillis() - 1000;
        redis.execute("ZADD", schema.nodes(), Long.toString(past), dead);
        redis.execute("ZADD", schema.nodes(), Long.toString(past), live);
        redis.execute("SET", schema.nodeLease(live), "1", "PX", "60000");

        List<String> heard = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(schema.busChannel("app", channel), heard::add);
        try {
            // the scheduled reaper may get there first; passes take turns, so either way the dead node's reap is over
            // when this returns: ana and dee (only on the dead node) went, bob stays
            reaper.reap();
            await().atMost(WAIT).untilAsserted(() -> assertEquals(2, heard.size(), heard.toString()));
            List<String> gone = heard.stream().map(p -> (MemberEvent) EventCodec.decode(p)).peek(e -> assertNull(e.state()))
                    .map(MemberEvent::userId).sorted().toList();
            assertEquals(List.of(ana, dee).stream().sorted().toList(), gone,
                    "departures are announced per user; gateways decide who saw them (dee was invisible)");
            assertEquals(List.of(bob, cy).stream().sorted().toList(),
                    presence.state("app", channel, true, null).await().atMost(WAIT).members().keySet().stream().sorted().toList());
            assertEquals("1", redis.hash(String.class).hget(schema.channel("app", channel).users(), bob), "bob keeps only his live connection");
            UserPresenceStore.Snapshot anaNow = users.snapshot("app", ana).await().atMost(WAIT);
            assertEquals(0, anaNow.connections());
            assertTrue(anaNow.lastSeen() >= past, "ana was last seen when her gateway was reaped");
            assertEquals(1, users.snapshot("app", bob).await().atMost(WAIT).connections());
            assertEquals(0, redis.key().exists(schema.nodeConnections(dead)) ? 1 : 0);
            assertEquals(2, redis.set(String.class).scard(schema.nodeConnections(live)));
            assertEquals(0, reaper.reap(), "a node is reaped once");
            assertEquals(0, redis.sortedSet(String.class).zscore(schema.nodes(), dead).isPresent() ? 1 : 0, "unlisted after its reap");
            assertEquals(0, redis.key().exists(schema.nodeReaper(dead)) ? 1 : 0, "and its claim released");
            // announced once: the reaps are over, so a marker published now comes after any repeat of their departures
            String marker = "marker-" + UUID.randomUUID();
            redis.pubsub(String.class).publish(schema.busChannel("app", channel), marker);
            await().atMost(WAIT).until(() -> heard.contains(marker));
            assertEquals(3, heard.size(), "the two departures, then the marker: " + heard);
        } finally {
            subscriber.unsubscribe();
            redis.execute("ZREM", schema.nodes(), live);
        }
    }
}
