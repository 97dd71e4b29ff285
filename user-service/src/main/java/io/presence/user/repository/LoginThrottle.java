package io.presence.user.repository;

import io.presence.user.config.UserConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Brute-force protection for logins that cannot be turned against the user it protects. Failed logins are counted
 * in Redis per client address, per handle and address, and per handle, each counter living for the failure window
 * from its first failure ({@code <prefix>:login-failures:address:<ip>}, {@code ...:handle-address:<handle>:<ip>},
 * {@code ...:handle:<handle>}). One client guessing is stopped by the first two; many clients guessing one handle
 * by the third, which however lets through the addresses the account logged in from before
 * ({@code <prefix>:login-known:<handle>}), so the owner still gets in.
 */
@ApplicationScoped
public class LoginThrottle {

    private final ValueCommands<String, Long> counters;
    private final SetCommands<String, String> sets;
    private final KeyCommands<String> keys;
    private final UserConfig config;

    public LoginThrottle(RedisDataSource redis, UserConfig config) {
        this.counters = redis.value(Long.class);
        this.sets = redis.set(String.class);
        this.keys = redis.key();
        this.config = config;
    }

    /** How long the caller must wait before trying this handle again, when a limit applies to it. */
    public Optional<Duration> blockedFor(String handle, String address) {
        UserConfig.Login limits = config.login();
        Optional<Duration> wait = blocked(addressKey(address), limits.maxFailuresPerAddress())
                .or(() -> blocked(pairKey(handle, address), limits.maxFailuresPerHandleAndAddress()));
        if (wait.isPresent()) {
            return wait;
        }
        return blocked(handleKey(handle), limits.maxFailuresPerHandle())
                .filter(lockout -> !sets.sismember(knownKey(handle), address));
    }

    public void recordFailure(String handle, String address) {
        count(addressKey(address));
        count(pairKey(handle, address));
        count(handleKey(handle));
    }

    /**
     * A successful login forgives this address's failures on the handle and makes the address known to it. The
     * handle's own count stays: otherwise every login of the owner would buy guessers a fresh allowance.
     */
    public void recordSuccess(String handle, String address) {
        keys.del(pairKey(handle, address));
        sets.sadd(knownKey(handle), address);
        keys.pexpire(knownKey(handle), config.login().knownAddressTtl());
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

    private String pairKey(String handle, String address) {
        return config.keyPrefix() + ":login-failures:handle-address:" + handle + ":" + address;
    }

    private String addressKey(String address) {
        return config.keyPrefix() + ":login-failures:address:" + address;
    }

    private String knownKey(String handle) {
        return config.keyPrefix() + ":login-known:" + handle;
    }
}
