package io.presence.user.repository;

import io.presence.common.presence.PresenceSchema;
import io.presence.common.presence.PresenceStoreConfig;
import io.presence.user.model.Block;
import io.presence.user.service.BlockChanged;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mirrors blocks into the presence store, where the gateways and presence-service read them: per blocked user,
 * the set of users who blocked them ({@link PresenceSchema#blockers}). Each change is written after its
 * transaction commits and announced to the gateways on the control channel; a full resync at start-up and every
 * few minutes repairs what a Redis outage or restart lost.
 */
@ApplicationScoped
public class BlockMirror {

    private static final Logger LOG = Logger.getLogger(BlockMirror.class);

    private final RedisDataSource redis;
    private final BlockRepository blocks;
    private final PresenceSchema schema;

    public BlockMirror(RedisDataSource redis, BlockRepository blocks, PresenceStoreConfig config) {
        this.redis = redis;
        this.blocks = blocks;
        this.schema = config.schema();
    }

    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) BlockChanged change) {
        String blocked = Long.toString(change.blockedId());
        String blocker = Long.toString(change.blockerId());
        try {
            if (change.blocked()) {
                redis.execute("SADD", schema.blockers(blocked), blocker);
            } else {
                redis.execute("SREM", schema.blockers(blocked), blocker);
            }
            redis.execute("PUBLISH", schema.control(), PresenceSchema.blocksCommand(blocked));
        } catch (RuntimeException e) {
            LOG.warnf("mirroring a block of %s failed (the next resync repairs it): %s", blocked, e.toString());
        }
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
        Set<String> keys = new HashSet<>();
        String pattern = schema.blockers("*");
        redis.key().scan(new KeyScanArgs().match(pattern).count(500)).toIterable().forEach(keys::add);
        wanted.keySet().forEach(user -> keys.add(schema.blockers(user)));
        int changed = 0;
        for (String key : keys) {
            String user = key.substring(key.indexOf("{u:") + 3, key.indexOf("}:blockers"));
            Set<String> want = wanted.getOrDefault(user, Set.of());
            Set<String> have = redis.set(String.class).smembers(key);
            if (have.equals(want)) {
                continue;
            }
            redis.key().del(key);
            if (!want.isEmpty()) {
                redis.set(String.class).sadd(key, want.toArray(String[]::new));
            }
            redis.execute("PUBLISH", schema.control(), PresenceSchema.blocksCommand(user));
            changed++;
        }
        return changed;
    }
}
