package io.presence.user.repository;

import io.presence.common.app.AppRegistry;
import io.presence.common.event.ControlCommand;
import io.presence.common.event.EventPublisher;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.presence.user.model.Block;
import io.presence.user.model.BlockChanged;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mirrors blocks into the presence store, where the gateways and presence-service read them: per blocked user (of the
 * built-in app, whose users user-service's accounts are), the set of users who blocked them ({@link
 * PresenceSchema#blockers}), and an index of the users that have such a set.
 * Each change is written after its transaction commits and announced to the gateways ({@link
 * ControlCommand.BlocksChanged}); a full resync at start-up and every few minutes repairs what a Redis outage or
 * restart lost. The index (not a key scan) lists the sets, so the resync works the same on a Redis Cluster.
 */
@ApplicationScoped
public class BlockMirror {

    private static final Logger LOG = Logger.getLogger(BlockMirror.class);

    private final RedisDataSource redis;
    private final BlockRepository blocks;
    private final EventPublisher publisher;
    private final PresenceSchema schema;
    /** The built-in app: user-service's accounts are its users. */
    private final String appId;

    public BlockMirror(RedisDataSource redis, BlockRepository blocks, EventPublisher publisher, PresenceStoreConfig config,
                       AppRegistry apps) {
        this.redis = redis;
        this.blocks = blocks;
        this.publisher = publisher;
        this.schema = config.schema();
        this.appId = apps.mainId();
    }

    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) BlockChanged change) {
        String blocked = Long.toString(change.blockedId());
        String blocker = Long.toString(change.blockerId());
        try {
            if (change.blocked()) {
                redis.set(String.class).sadd(schema.blockedUsers(appId), blocked);
                redis.set(String.class).sadd(schema.blockers(appId, blocked), blocker);
            } else {
                redis.set(String.class).srem(schema.blockers(appId, blocked), blocker);
            }
        } catch (RuntimeException e) {
            LOG.warnf("mirroring a block of %s failed (the next resync repairs it): %s", blocked, e.toString());
            return;
        }
        announce(blocked);
    }

    private void announce(String user) {
        publisher.command(new ControlCommand.BlocksChanged(user)).subscribe().with(ok -> { },
                err -> LOG.warnf("gateways not told that the blocks of %s changed (the next resync tells them): %s", user, err.toString()));
    }

    @Scheduled(every = "5m", concurrentExecution = ConcurrentExecution.SKIP)
    void resyncSafely() {
        try {
            resync();
        } catch (RuntimeException e) {
            LOG.warnf("block resync failed (will retry): %s", e.toString());
        }
    }

    /** Makes every blockers set in Redis equal to the blocks table; answers how many sets changed. */
    public int resync() {
        Map<String, Set<String>> wanted = new HashMap<>();
        for (Block b : blocks.listAll()) {
            wanted.computeIfAbsent(Long.toString(b.key.blockedId()), k -> new HashSet<>()).add(Long.toString(b.key.blockerId()));
        }
        Set<String> users = new HashSet<>(redis.set(String.class).smembers(schema.blockedUsers(appId)));
        users.addAll(wanted.keySet());
        int changed = 0;
        for (String user : users) {
            Set<String> want = wanted.getOrDefault(user, Set.of());
            Set<String> have = redis.set(String.class).smembers(schema.blockers(appId, user));
            if (!have.equals(want)) {
                redis.key().del(schema.blockers(appId, user));
                if (!want.isEmpty()) {
                    redis.set(String.class).sadd(schema.blockers(appId, user), want.toArray(String[]::new));
                }
                announce(user);
                changed++;
            }
            if (want.isEmpty()) {
                redis.set(String.class).srem(schema.blockedUsers(appId), user);
            } else {
                redis.set(String.class).sadd(schema.blockedUsers(appId), user);
            }
        }
        return changed;
    }
}
