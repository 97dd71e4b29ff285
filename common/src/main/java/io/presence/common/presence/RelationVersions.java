package io.presence.common.presence;

import io.presence.common.event.AfterCommit;
import io.presence.common.redis.RedisCalls;
import io.presence.common.store.PresenceSchema;
import io.presence.common.store.PresenceStoreConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Versions of the relations between users ({@link PresenceSchema#relationVersion}): user-service counts a pair's
 * version up once a change of their contact or block state has committed; message-service keys its cached answers
 * by the version it reads, so a block or a new contact takes effect at once instead of when a cache entry expires.
 * Not per app: relations are between user-service's accounts, which are the built-in app's users only.
 */
@ApplicationScoped
public class RelationVersions {

    private static final Logger LOG = Logger.getLogger(RelationVersions.class);
    /** A version outlives any cached answer by far; an expired one starts again, which no live cache entry remembers. */
    private static final Duration KEEP = Duration.ofDays(1);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final int ATTEMPTS = 5;

    private final Redis redis;
    private final PresenceSchema schema;

    public RelationVersions(Redis redis, PresenceStoreConfig store) {
        this.redis = redis;
        this.schema = store.schema();
    }

    /** Counts the pair's version up after the current transaction commits (at once outside one). */
    public void changedAfterCommit(TransactionSynchronizationRegistry transactions, long a, long b) {
        AfterCommit.run(transactions, () -> bump(a, b), () -> { });
    }

    /** The pair's current version (0 when never changed), or empty when Redis cannot say: then nothing is cached. */
    public OptionalLong current(long a, long b) {
        try {
            Response value = RedisCalls.send(redis, Command.GET, schema.relationVersion(a, b)).await().atMost(READ_TIMEOUT);
            return OptionalLong.of(value == null ? 0 : value.toLong());
        } catch (RuntimeException e) {
            LOG.debugf("relation version of %d and %d unknown: %s", a, b, e.toString());
            return OptionalLong.empty();
        }
    }

    private void bump(long a, long b) {
        String key = schema.relationVersion(a, b);
        RedisCalls.send(redis, Command.INCR, key)
                .chain(() -> RedisCalls.send(redis, Command.PEXPIRE, key, Long.toString(KEEP.toMillis())))
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(1)).atMost(ATTEMPTS)
                .subscribe().with(ok -> { }, err -> LOG.warnf("relation version of %d and %d not counted up (cached answers "
                        + "expire on their own): %s", a, b, err.toString()));
    }
}
