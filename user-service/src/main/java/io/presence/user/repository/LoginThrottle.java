package io.presence.user.repository;

import io.micrometer.core.instrument.MeterRegistry;
import io.presence.common.http.ClientAddress;
import io.presence.common.redis.RedisScript;
import io.presence.user.config.UserConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Brute-force protection for logins that cannot be turned against the user it protects.
 * <p>
 * Every login is counted <em>before</em> its password is checked, and decided by the count it made: each counter is
 * incremented and read in one step in Redis ({@code attempt.lua}), so attempts made at once each get a count of their
 * own, and of 20 parallel guesses at most the limit reach bcrypt; the rest, and every later attempt in the window, the
 * right password included, get 429 with the time left of the window. A login that succeeds gives its attempt back.
 * <p>
 * Three counters, each a fixed window from its first attempt ({@code users.login.failure-window}, 15 min):
 * per client address ({@code <prefix>:login-attempts:address:<group>}, limit 20), per handle and address
 * ({@code ...:handle-address:<handle>:<group>}, limit 5) and per handle ({@code ...:handle:<handle>}, limit 50). An
 * address is counted by its group ({@link ClientAddress#group}): IPv4 alone, IPv6 by its /64, IPv4-mapped IPv6 as
 * IPv4. The addresses an account logged in from (within {@code known-address-ttl}, 30 days;
 * {@code <prefix>:login-known:<handle>}) are known to its handle: neither the per-address nor the per-handle limit
 * stops them on that handle, so guessing from elsewhere, or from many addresses behind the owner's NAT, never locks
 * the owner out. A known address is stopped on that handle only by its own failures there (the per-handle-and-address
 * limit), and its attempts still count for its address, so it cannot guess other handles. A successful login
 * forgives that address's failures on that handle; the handle's count stays (minus the successful attempt itself),
 * otherwise every login of the owner would buy guessers a fresh allowance.
 * <p>
 * Each counter is a key of its own (one Redis Cluster slot each). A refusal waits for the longest window among the
 * limits it is over and is counted in {@value #REFUSALS}{@code {limit}} under that limit.
 */
@ApplicationScoped
public class LoginThrottle {

    /** The counter of refused logins, by the limit that refused them (address, handle, handle-address). */
    public static final String REFUSALS = "users.login.refusals";

    private static final RedisScript ATTEMPT = RedisScript.load("attempt.lua");
    private static final Duration REDIS_WAIT = Duration.ofSeconds(10);

    /** One counter's state after an attempt: its count and the time left of its window. */
    private record Count(long count, Duration left) {

        static Count of(Response response) {
            return new Count(response.get(0).toLong(), Duration.ofMillis(Math.max(0, response.get(1).toLong())));
        }
    }

    /** A limit an attempt is over, and the time left of its window. */
    private record Wait(String limit, Duration left) {
    }

    private final Redis redis;
    private final UserConfig config;
    private final MeterRegistry metrics;

    public LoginThrottle(Redis redis, UserConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Counts a login attempt on this handle from this client address, before its password is checked. Empty when the
     * password may be checked; otherwise how long the caller must wait (the attempt stays counted).
     */
    public Optional<Duration> attempt(String handle, String address) {
        String group = ClientAddress.group(address);
        UserConfig.Login limits = config.login();
        // one after another, each atomic: a login holds one pooled Redis connection at a time
        Count perAddress = count(addressKey(group), 1);
        Count perPair = count(pairKey(handle, group), 1);
        Count perHandle = count(handleKey(handle), 1);
        boolean known = call(Request.cmd(Command.SISMEMBER).arg(knownKey(handle)).arg(group)).toBoolean();
        // the longest wait of the limits it is over: retrying after a shorter one would only be refused again
        Optional<Wait> wait = Stream.of(over("handle-address", perPair, limits.maxFailuresPerHandleAndAddress()),
                        known ? Optional.<Wait>empty() : over("address", perAddress, limits.maxFailuresPerAddress()),
                        known ? Optional.<Wait>empty() : over("handle", perHandle, limits.maxFailuresPerHandle()))
                .flatMap(Optional::stream)
                .max(Comparator.comparing(Wait::left));
        wait.ifPresent(refused -> metrics.counter(REFUSALS, "limit", refused.limit()).increment());
        return wait.map(Wait::left);
    }

    /**
     * The password was right: gives the attempt back to the address and handle counters, forgives this address's
     * failures on the handle and makes the address known to it.
     */
    public void succeeded(String handle, String address) {
        String group = ClientAddress.group(address);
        count(addressKey(group), -1);
        count(handleKey(handle), -1);
        call(Request.cmd(Command.DEL).arg(pairKey(handle, group)));
        call(Request.cmd(Command.SADD).arg(knownKey(handle)).arg(group));
        call(Request.cmd(Command.PEXPIRE).arg(knownKey(handle)).arg(config.login().knownAddressTtl().toMillis()));
    }

    /** The time left of the counter's window when its count is over the limit. */
    private Optional<Wait> over(String limit, Count count, int max) {
        if (count.count() <= max) {
            return Optional.empty();
        }
        return Optional.of(new Wait(limit, count.left().isZero() ? config.login().failureWindow() : count.left()));
    }

    /** Counts an attempt on the counter (delta 1) or gives one back (-1), answering its state afterwards. */
    private Count count(String key, int delta) {
        String window = Long.toString(config.login().failureWindow().toMillis());
        return Count.of(ATTEMPT.run(redis, List.of(key), List.of(Integer.toString(delta), window)).await().atMost(REDIS_WAIT));
    }

    private Response call(Request request) {
        return redis.send(request).await().atMost(REDIS_WAIT);
    }

    private String handleKey(String handle) {
        return config.keyPrefix() + ":login-attempts:handle:" + handle;
    }

    private String pairKey(String handle, String group) {
        return config.keyPrefix() + ":login-attempts:handle-address:" + handle + ":" + group;
    }

    private String addressKey(String group) {
        return config.keyPrefix() + ":login-attempts:address:" + group;
    }

    private String knownKey(String handle) {
        return config.keyPrefix() + ":login-known:" + handle;
    }
}
