package io.presence.presence.repository;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Reads the per-user presence hash described in {@link PresenceKeys#user(String)}. */
@ApplicationScoped
public class UserPresenceRepository {

    private final HashCommands<String, String, String> hashes;
    private final PresenceKeys keys;

    public UserPresenceRepository(RedisDataSource redis, PresenceKeys keys) {
        this.hashes = redis.hash(String.class);
        this.keys = keys;
    }

    /** The user's raw state fields; empty when nothing was ever recorded. */
    public Map<String, String> state(String userId) {
        return hashes.hgetall(keys.user(userId));
    }
}
