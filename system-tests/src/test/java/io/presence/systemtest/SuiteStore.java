package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.presence.common.store.PresenceSchema;
import io.presence.infra.RedisEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What a suite keeps in Redis, read the way a test needs it to know that the services are done with something: the
 * webhooks still queued (an entry leaves the queue once the sender sent it or dropped it), the gateways' leases,
 * which gateway holds a connection and how many connections of an app each gateway counts.
 */
final class SuiteStore {

    private final RedisEndpoint redis;
    private final PresenceSchema schema;

    SuiteStore(ServiceSuite suite) {
        this.redis = suite.redis();
        this.schema = new PresenceSchema(suite.prefix());
    }

    private Jedis connect() {
        Jedis jedis = new Jedis(redis.host(), redis.port());
        if (redis.password() != null && !redis.password().isEmpty()) {
            jedis.auth(redis.password());
        }
        return jedis;
    }

    /**
     * Makes two users of an app contacts as user-service's contact mirror records them (presence visibility reads
     * it), for tests whose users are a backend's ids rather than accounts.
     */
    void contacts(String appId, String a, String b) {
        try (Jedis jedis = connect()) {
            jedis.sadd(schema.contacts(appId, a), b);
            jedis.sadd(schema.contacts(appId, b), a);
        }
    }

    /** The queued webhooks' fields (id, app, at, event, ...), oldest first. */
    List<Map<String, String>> queuedWebhooks() {
        try (Jedis jedis = connect()) {
            return jedis.xrange(schema.webhooks(), (StreamEntryID) null, (StreamEntryID) null).stream().map(StreamEntry::getFields).toList();
        }
    }

    /** The gateway nodes listed for reapers (alive or not yet reaped). */
    Set<String> nodes() {
        try (Jedis jedis = connect()) {
            return Set.copyOf(jedis.zrange(schema.nodes(), 0, -1));
        }
    }

    /** When a node's lease runs out as it last listed it for reapers (epoch ms), 0 when it is not listed. */
    long leaseExpiry(String node) {
        try (Jedis jedis = connect()) {
            Double score = jedis.zscore(schema.nodes(), node);
            return score == null ? 0 : score.longValue();
        }
    }

    /** Whether the node's lease is alive in Redis (it expires by itself when the node stops renewing it). */
    boolean leaseHeld(String node) {
        try (Jedis jedis = connect()) {
            return jedis.exists(schema.nodeLease(node));
        }
    }

    /** An app's connections as the gateways counted them for its maxConnections: gateway node -> count. */
    Map<String, Long> appConnections(String appId) {
        try (Jedis jedis = connect()) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            jedis.hgetAll(schema.appConnections(appId)).forEach((node, count) -> counts.put(node, Long.parseLong(count)));
            return counts;
        }
    }

    /** The node that holds the most presence connections of a channel. */
    String busiestNode(String appId, String channel) {
        String prefix = PresenceSchema.nodeEntry(appId, channel, "");
        String busiest = null;
        long most = 0;
        try (Jedis jedis = connect()) {
            for (String node : nodes()) {
                long held = jedis.smembers(schema.nodeConnections(node)).stream().filter(e -> e.startsWith(prefix)).count();
                if (held > most) {
                    most = held;
                    busiest = node;
                }
            }
        }
        assertNotNull(busiest, "no node holds a connection of " + channel);
        return busiest;
    }

    /** True when no webhook about the channel waits in the queue: each was sent or dropped, none is held back. */
    boolean noWebhookQueuedAbout(String channel) {
        String quoted = "\"" + channel + "\"";
        return queuedWebhooks().stream().noneMatch(w -> w.getOrDefault("event", "").contains(quoted));
    }
}
