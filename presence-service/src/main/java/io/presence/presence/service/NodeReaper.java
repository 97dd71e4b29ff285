package io.presence.presence.service;

import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Removes the presence of gateways that died. Every gateway keeps a lease in Redis and lists its presence
 * connections; when a lease expires (the process was killed, or cut off from Redis), this reaper runs the same
 * atomic leave script for each of that node's connections and tells every gateway {@code member_removed} for
 * users left with no connection. Several presence-service replicas may run it: claiming a dead node is a ZREM,
 * which only one of them wins. A node that comes back after being reaped re-registers its connections itself.
 */
@ApplicationScoped
public class NodeReaper {

    private static final Logger LOG = Logger.getLogger(NodeReaper.class);

    private final RedisDataSource redis;
    private final PresenceSchema schema;
    private final PresenceStoreConfig config;
    private ScheduledExecutorService timer;

    public NodeReaper(RedisDataSource redis, PresenceStoreConfig config) {
        this.redis = redis;
        this.schema = config.schema();
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "presence-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = config.reaperInterval().toMillis();
        timer.scheduleWithFixedDelay(this::reapSafely, period, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void reapSafely() {
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
            if (leave != null && leave.size() == 2 && leave.get(1).toLong() == 1) {
                String userId = leave.get(0).toString();
                redis.execute("PUBLISH", schema.busChannel(appId, channel),
                        PresenceSchema.busMessage(null, PresenceSchema.memberRemovedFrame(channel, userId)));
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
