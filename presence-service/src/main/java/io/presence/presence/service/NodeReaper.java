package io.presence.presence.service;

import io.presence.common.presence.BusMessage;
import io.presence.common.presence.BusMessage.Audience;
import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.common.presence.UserPresenceStore;
import io.presence.common.presence.UserStatus;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes the presence of gateways that died. Every gateway keeps a lease in Redis and lists its presence
 * connections; when a lease expires (the process was killed, or cut off from Redis), this reaper runs the same
 * atomic leave script for each of that node's connections and tells every gateway {@code member_removed} for
 * users left with no connection (unless they were invisible), and records when users left with no connection
 * anywhere were last seen. Several presence-service replicas may run it: claiming a dead node is a ZREM,
 * which only one of them wins. A node that comes back after being reaped re-registers its connections itself.
 */
@ApplicationScoped
public class NodeReaper {

    private static final Logger LOG = Logger.getLogger(NodeReaper.class);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RedisDataSource redis;
    private final PresenceSchema schema;
    private final UserPresenceStore users;

    public NodeReaper(RedisDataSource redis, PresenceStoreConfig config, UserPresenceStore users) {
        this.redis = redis;
        this.users = users;
        this.schema = config.schema();
    }

    @Scheduled(every = "${presence.store.reaper-interval:1s}", concurrentExecution = ConcurrentExecution.SKIP)
    void reapSafely() {
        try {
            reap();
        } catch (RuntimeException e) {
            LOG.warnf("reaper pass failed (will retry): %s", e.toString());
        }
    }

    /** One pass: every node whose lease expired loses its connections. Returns the number of members removed. */
    public int reap() {
        Response expired = redis.execute("ZRANGEBYSCORE", schema.nodes(), "-inf", Long.toString(System.currentTimeMillis()));
        int removed = 0;
        for (String node : strings(expired)) {
            if (redis.execute("EXISTS", schema.nodeLease(node)).toLong() == 1) {
                continue; // renewed just now; its next renewal moves the expiry forward
            }
            if (redis.execute("ZREM", schema.nodes(), node).toLong() != 1) {
                continue; // another replica claimed it
            }
            removed += reapNode(node);
        }
        return removed;
    }

    private int reapNode(String node) {
        List<String> entries = strings(redis.execute("SMEMBERS", schema.nodeConnections(node)));
        int removed = 0;
        for (String entry : entries) {
            String[] parts = PresenceSchema.parseNodeEntry(entry);
            if (parts == null) {
                continue;
            }
            String appId = parts[0];
            String channel = parts[1];
            String[] keys = schema.channelKeys(appId, channel);
            Response leave = redis.execute("EVAL", PresenceSchema.LEAVE_SCRIPT, "3", keys[0], keys[1], keys[2], parts[2]);
            if (leave == null || leave.size() < 2) {
                continue;
            }
            String userId = leave.get(0).toString();
            users.disconnect(userId, entry).await().atMost(WAIT);
            boolean last = leave.get(1).toLong() == 1;
            if (last && !UserStatus.invisible(users.parse(leave.size() > 2 ? leave.get(2).toString() : "{}"))) {
                users.publish(appId, channel, BusMessage.about(userId, Audience.ALL,
                        PresenceSchema.memberRemovedFrame(channel, userId), null)).await().atMost(WAIT);
                removed++;
            }
        }
        redis.execute("DEL", schema.nodeConnections(node), schema.nodeSubscriptions(node));
        LOG.infof("reaped node %s: %d connections, %d members removed", node, entries.size(), removed);
        return removed;
    }

    private static List<String> strings(Response response) {
        List<String> values = new ArrayList<>();
        if (response != null) {
            for (Response item : response) {
                values.add(item.toString());
            }
        }
        return values;
    }
}
