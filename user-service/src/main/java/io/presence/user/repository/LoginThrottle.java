package io.presence.user.repository;

import io.presence.user.config.UserConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Counts failed logins per handle and per client address in Redis, each counter living for the failure window
 * from its first failure ({@code <prefix>:login-failures:handle:<handle>}, {@code ...:address:<ip>}).
 */
@ApplicationScoped
public class LoginThrottle {

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final UserConfig config;

    public LoginThrottle(RedisDataSource redis, UserConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config;
    }

    /** How long the caller must wait before trying again, when either limit is reached. */
    public Optional<Duration> blockedFor(String handle, String address) {
        Optional<Duration> byHandle = blocked(handleKey(handle), config.login().maxFailuresPerHandle());
        return byHandle.isPresent() ? byHandle : blocked(addressKey(address), config.login().maxFailuresPerAddress());
    }

    public void recordFailure(String handle, String address) {
        count(handleKey(handle));
        count(addressKey(address));
    }

    /** A successful login forgives the handle's failures (not the address's: one address may try many handles). */
    public void recordSuccess(String handle) {
        keys.del(handleKey(handle));
    }

    private Optional<Duration> blocked(String key, int limit) {
        Long failures = counters.get(key);
        if (failures == null || failures < limit) {
            return Optional.empty();
        }
        long ttl = keys.pttl(key);
        return Optional.of(ttl > 0 ? Duration.ofMillis(ttl) : config.login().failureWindow());
    }

    private void count(String key) {
        if (counters.incr(key) == 1) {
            keys.pexpire(key, config.login().failureWindow());
        }
    }

    private String handleKey(String handle) {
        return config.keyPrefix() + ":login-failures:handle:" + handle;
    }

    private String addressKey(String address) {
        return config.keyPrefix() + ":login-failures:address:" + address;
    }
}
