package io.presence.user.repository;

import io.presence.user.config.UserConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.value.GetExArgs;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions in Redis, keyed by the SHA-256 of the token (the token itself is never stored).
 * {@code <prefix>:session:<hash>} holds the account id and expires after the TTL, renewed on every use;
 * {@code <prefix>:sessions-of:<account>} lists an account's session hashes, for logging out everywhere.
 */
@ApplicationScoped
public class SessionStore {

    private final ValueCommands<String, String> values;
    private final SetCommands<String, String> sets;
    private final KeyCommands<String> keys;
    private final String prefix;

    public SessionStore(RedisDataSource redis, UserConfig config) {
        this.values = redis.value(String.class);
        this.sets = redis.set(String.class);
        this.keys = redis.key();
        this.prefix = config.keyPrefix();
    }

    public void create(String tokenHash, long accountId, Duration ttl) {
        values.set(sessionKey(tokenHash), Long.toString(accountId), new SetArgs().ex(ttl));
        sets.sadd(accountKey(accountId), tokenHash);
        keys.expire(accountKey(accountId), ttl);
    }

    /** The account of a live session, sliding its expiry; empty when the session is unknown or expired. */
    public Optional<Long> touch(String tokenHash, Duration ttl) {
        String accountId = values.getex(sessionKey(tokenHash), new GetExArgs().ex(ttl));
        if (accountId == null) {
            return Optional.empty();
        }
        keys.expire(accountKey(Long.parseLong(accountId)), ttl);
        return Optional.of(Long.parseLong(accountId));
    }

    public void delete(String tokenHash, long accountId) {
        keys.del(sessionKey(tokenHash));
        sets.srem(accountKey(accountId), tokenHash);
    }

    public void deleteAll(long accountId) {
        Set<String> hashes = sets.smembers(accountKey(accountId));
        for (String hash : hashes) {
            keys.del(sessionKey(hash));
        }
        keys.del(accountKey(accountId));
    }

    private String sessionKey(String tokenHash) {
        return prefix + ":session:" + tokenHash;
    }

    private String accountKey(long accountId) {
        return prefix + ":sessions-of:" + accountId;
    }
}
