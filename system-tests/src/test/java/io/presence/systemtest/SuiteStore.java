package io.presence.systemtest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.presence.common.presence.PresenceSchema;
import io.presence.infra.RedisEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What a suite keeps in Redis, read the way a test needs it to know that the services are done with something: the
 * webhooks still queued (an entry leaves the queue once the sender sent it or dropped it), the gateways' leases and
 * which gateway holds a connection.
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
