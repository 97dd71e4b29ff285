package io.presence.common.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.presence.common.presence.NodeLeases.Renewal;
import io.presence.common.redis.TestRedis;
import io.presence.common.store.PresenceSchema;
import io.presence.common.testing.Inbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leases are renewed or taken again, a dead node is claimed by one reaper, and a node never registers mid-reap. */
class NodeLeasesTest {

    private static final Duration WAIT = Inbox.CEILING;
    private static final Duration TTL = Duration.ofSeconds(30);

    private static TestRedis redis;
    private static NodeLeases leases;
    private static PresenceSchema schema;

    @BeforeAll
    static void connect() {
        redis = TestRedis.standalone();
        leases = new NodeLeases(redis.redis(), redis.storeConfig());
        schema = redis.storeConfig().schema();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    /** Waits until Redis has expired the key (a lease or a claim whose TTL ran out). */
    private static void awaitGone(String key) {
        Awaitility.await().atMost(WAIT).until(() -> redis.call(Command.EXISTS, key).toInteger() == 0);
    }

    @Test
    void aLeaseIsTakenThenRenewedAndListedWithItsExpiry() {
        String node = "gw-" + UUID.randomUUID();
        long before = System.currentTimeMillis();
        assertEquals(Renewal.TAKEN, await(leases.renew(node, TTL)));
        assertEquals(Renewal.RENEWED, await(leases.renew(node, TTL)));
        assertTrue(redis.call(Command.PTTL, schema.nodeLease(node)).toLong() > TTL.toMillis() / 2, "renewed for the TTL");
        assertTrue(redis.call(Command.ZSCORE, schema.nodes(), node).toLong() >= before + TTL.toMillis());
        assertFalse(await(leases.expired()).contains(node), "not expired yet");
        assertFalse(await(leases.claim(node, "reaper-1", TTL)), "a live node cannot be claimed");
    }

    @Test
    void aDeadNodeIsClaimedByOneReaperAndRegistersAgainOnlyAfterTheReap() {
        String node = "gw-" + UUID.randomUUID();
        assertEquals(Renewal.TAKEN, await(leases.renew(node, Duration.ofMillis(100))));
        // the node stops renewing: its lease lapses in Redis and its listed expiry passes
        awaitGone(schema.nodeLease(node));
        Awaitility.await().atMost(WAIT).until(() -> await(leases.expired()).contains(node));

        assertTrue(await(leases.claim(node, "reaper-1", TTL)));
        assertFalse(await(leases.claim(node, "reaper-2", TTL)), "one reaper per node");
        assertEquals(Renewal.BEING_REAPED, await(leases.renew(node, TTL)));
        assertNull(redis.call(Command.GET, schema.nodeLease(node)), "the lease is not taken during the reap");

        await(leases.reaped(node));
        assertFalse(await(leases.expired()).contains(node));
        assertNull(redis.call(Command.GET, schema.nodeReaper(node)));
        assertEquals(Renewal.TAKEN, await(leases.renew(node, TTL)), "after the reap the node registers again");
        assertFalse(await(leases.claim(node, "reaper-2", TTL)));
    }

    @Test
    void theClaimOfAReaperThatDiedPassesToAnother() {
        String node = "gw-" + UUID.randomUUID();
        assertTrue(await(leases.claim(node, "reaper-1", TTL)));
        assertFalse(await(leases.claim(node, "reaper-2", TTL)));
        long ttl = redis.call(Command.PTTL, schema.nodeReaper(node)).toLong();
        assertTrue(ttl > TTL.toMillis() / 2 && ttl <= TTL.toMillis(), "the claim lapses after the given time: " + ttl);
        // reaper-1 dies mid-reap: rather than wait out its TTL, let it run out now
        redis.call(Command.PEXPIRE, schema.nodeReaper(node), "1");
        awaitGone(schema.nodeReaper(node));
        assertTrue(await(leases.claim(node, "reaper-2", TTL)), "reaper-1 died mid-reap: its claim lapsed");
        assertEquals("reaper-2", redis.call(Command.GET, schema.nodeReaper(node)).toString());
    }
}
